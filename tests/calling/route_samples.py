"""Sample values for the calling area's URL placeholders (see tests/security/routes.py)."""

from __future__ import annotations

from tests.security.routes import Built, sample


@sample("key", under="/settings/calling/")
def feature_key(built: Built) -> str:
    return "call-waiting"  # a feature every organization allows by default


@sample("key", under="/settings/calling/switch/")
def switch_key(built: Built) -> str:
    return "do-not-disturb"  # one of the two settings the overview can switch
