"""Every route of the URL map, opened by each kind of person: each gets only what its role allows, and a
refusal changes nothing in the database. Expectations come from what the access decorators declare
(``userhub.security.access``), so a route added by any area is checked the day it appears."""

from __future__ import annotations

import pytest

from tests.security.conftest import PEOPLE, World, database_checksum
from tests.security.routes import ROUTES, Route

_READS = ("GET",)


def is_refusal(response) -> bool:  # type: ignore[no-untyped-def]
    """403/404 (not yours), 401, or the sign-in page with a way back (Flask-Login's answer to anonymous)."""
    if response.status_code in (401, 403, 404):
        return True
    location = response.headers.get("Location", "")
    return response.status_code in (301, 302, 303, 307, 308) and "/sign-in" in location and "next=" in location


def expected_allowed(route: Route, person: str, world: World) -> bool:
    if person == "other_org_admin" and route.has_objects and route.access.organization_scoped:
        return False
    return route.access.allows(world.role_of(person), route.method, signed_in=person != "anonymous")


def _send(client, route: Route, url: str):  # type: ignore[no-untyped-def]
    return client.open(url, method=route.method, data={} if route.method != "GET" else None)


def _order(route: Route, world: World) -> list[str]:
    """Refused people first: an allowed state-changing request may change what later ones see."""
    return sorted(PEOPLE, key=lambda person: expected_allowed(route, person, world))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_each_person_gets_only_what_their_role_allows(world, route):
    # Personal objects (a contact, a schedule of one's own) are built for each person: everyone opens their own.
    if route.personal:
        urls = {person: route.url(world, person) for person in PEOPLE}
        if len(set(urls.values())) > 1:  # ids of one person's objects, not just a word like "busy"
            _nobody_else_reaches_the_employees_object(world, route, urls["employee"])
    else:
        urls = dict.fromkeys(PEOPLE, route.url(world))
    first_allowed = True
    for person in _order(route, world):
        url = urls[person]
        before = database_checksum()
        response = _send(world.clients[person], route, url)
        assert response.status_code < 500, f"{person}: {route.id} answered {response.status_code}"
        if expected_allowed(route, person, world):
            # A public page may answer 404 by design (an unknown activation link); so may a change repeated by a
            # second administrator (the first one already deleted the sample).
            not_found_is_fine = route.access.public or (route.method not in _READS and not first_allowed)
            assert not is_refusal(response) or (response.status_code == 404 and not_found_is_fine), (
                f"{person} should be let in to {route.id} ({url}) but got {response.status_code} "
                f"{response.headers.get('Location', '')}; if the URL needs a real object, declare how to build one "
                "with @sample(...) in tests/<area>/route_samples.py (see tests/security/routes.py)"
            )
            first_allowed = False
        else:
            assert is_refusal(response), (
                f"{person} should be refused {route.id} ({url}) but got {response.status_code}; declare the "
                "view's access with @admin_required(...), @own_data or @public"
            )
            assert database_checksum() == before, f"refusing {person} {route.id} changed the database"
        if route.method in _READS:
            assert database_checksum() == before, f"{route.method} {url} by {person} changed the database"


def _nobody_else_reaches_the_employees_object(world: World, route: Route, url: str) -> None:
    """An object only its owner may reach: every other signed-in person gets 404 (or 403), nothing changes."""
    for person in PEOPLE:
        if person in ("employee", "anonymous"):
            continue
        before = database_checksum()
        response = _send(world.clients[person], route, url)
        assert response.status_code in (403, 404), f"{person} reached the employee's {route.id} ({url})"
        assert database_checksum() == before, f"{person} opening the employee's {route.id} changed the database"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.method == "GET"], ids=lambda r: r.id)
def test_head_changes_nothing(world, route):
    for person in ("anonymous", "employee", "full"):
        url = route.url(world, person)
        before = database_checksum()
        response = world.clients[person].head(url)
        assert response.status_code < 500
        assert database_checksum() == before, f"HEAD {route.rule} by {person} changed the database"
