"""A person with many rules: the overview reads them as plain rows (no ORM object per rule), with the
same statements as with one rule, and still counts and applies them."""

from __future__ import annotations

import dataclasses

from sqlalchemy import event

from userhub.calling import registry, services
from userhub.calling.saved_criteria import Criterion as Rule
from userhub.calling.models import CallingCriterion
from userhub.extensions import db


def _save_rules(user, count: int) -> None:  # type: ignore[no-untyped-def]
    feature = registry.get("simultaneous-ring")
    state = services.load(user, feature).states[feature.key]
    rules = [Rule(f"Rule {i}", calls_from="select", phone_numbers=[f"+336123{i:05d}"]) for i in range(count)]
    values = dataclasses.replace(state.values, enabled=True, numbers=[{"phone_number": "+33612345678"}])
    services.save(user, feature, values, rules, state.version, actor=user)
    db.session.commit()


def _overview(client):  # type: ignore[no-untyped-def]
    """The page, the SQL statements it issued and the rule objects the ORM built for it."""
    statements, built = 0, 0

    def count(*_args) -> None:  # type: ignore[no-untyped-def]
        nonlocal statements
        statements += 1

    def loaded(*_args) -> None:  # type: ignore[no-untyped-def]
        nonlocal built
        built += 1

    event.listen(db.engine, "before_cursor_execute", count)
    event.listen(CallingCriterion, "load", loaded)
    try:
        page = client.get("/settings/calling").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
        event.remove(CallingCriterion, "load", loaded)
    return page, statements, built


def test_the_overview_builds_no_object_per_rule(me_client, me):
    _save_rules(me, 1)
    _page, statements_one, built_one = _overview(me_client)
    _save_rules(me, 50)
    _page, statements_fifty, built_fifty = _overview(me_client)
    assert (built_one, built_fifty) == (0, 0)
    assert statements_fifty == statements_one
    # the rules are still read whole: the service gives them back as they were saved
    criteria = services.load(me, registry.get("simultaneous-ring")).states["simultaneous-ring"].criteria
    assert [c.name for c in criteria] == [f"Rule {i}" for i in range(50)]
    assert criteria[7].phone_numbers == ["+33612300007"] and criteria[7].calls_from == "select"
