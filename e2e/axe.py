"""Accessibility check with axe-core (bundled by axe-playwright-python): a page may have no serious
or critical violation. Call it on every page a journey opens that a person fills in or reads."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()
BLOCKING = {"serious", "critical"}


def blocking_violations(page: Any) -> list[str]:
    """The serious and critical violations on the page as it is now, one readable line each."""
    results = _AXE.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def assert_accessible(page: Any) -> None:
    violations = blocking_violations(page)
    assert violations == [], f"{page.url}:\n" + "\n".join(violations)
