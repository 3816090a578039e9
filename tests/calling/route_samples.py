"""Sample values for the calling area's URL placeholders (see tests/security/routes.py)."""

from __future__ import annotations

from tests.security.routes import Built, sample


@sample("key", under="/settings/calling/")
def feature_key(built: Built) -> str:
    return "call-waiting"  # a feature every organization allows by default


@sample("key", under="/settings/calling/switch/")
def switch_key(built: Built) -> str:
    return "do-not-disturb"  # one of the two settings the overview can switch


@sample("key", under=r"^/settings/calling/<key>/rules")
def feature_with_rules(built: Built) -> str:
    return "simultaneous-ring"  # rules pages exist only for features with rules (open by default)


@sample("index", under="/settings/calling/", personal=True)
def rule_index(built: Built) -> int:
    """A rule of the person who opens the URL, on the feature the rules sample names."""
    from userhub.calling import registry, services
    from userhub.calling.saved_criteria import Criterion
    from userhub.extensions import db

    feature = registry.get(str(built.values.get("key", "simultaneous-ring")))
    assert feature is not None and feature.criteria is not None
    state = services.load(built.owner, feature).states[feature.key]
    if not state.criteria:
        rule = Criterion("Sample")
        services.save(built.owner, feature, state.values, [rule], state.version, actor=built.owner)
        db.session.commit()
    return 0
