"""The partner role in the route matrix: a partner administrator who chose organization A works in A. Every
route, opened by the partner: what a full administrator of A may open, the partner may too; an
administrator's page never shows the partner's own organization; and a write lands in A, never in the
partner's own organization (its rows are compared before and after, not only the status code).

And the rule that makes the wrong organization hard to write: admin code asks ``current_organization()``,
never ``current_user.organization``."""

from __future__ import annotations

import ast
import html
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.security.conftest import PARTNER_LOCATION, World, organization_checksum
from tests.security.routes import ROUTES, Route
from tests.security.test_route_access import expected_allowed, is_refusal

ADMIN_PREFIX = "/admin"


def _send(client, route: Route, url: str):  # type: ignore[no-untyped-def]
    return client.open(url, method=route.method, data={} if route.method != "GET" else None)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_a_partner_works_in_the_organization_they_chose(partner: World, route: Route) -> None:
    url = route.url(partner, "partner")
    own = partner.partner_organization.id
    before = organization_checksum(own)
    response = _send(partner.clients["partner"], route, url)
    assert response.status_code < 500, f"partner: {route.id} answered {response.status_code}"
    if expected_allowed(route, "partner", partner):
        assert not is_refusal(response) or (response.status_code == 404 and route.access.public), (
            f"the partner should be let in to {route.id} ({url}) in the organization they chose, but got "
            f"{response.status_code}: the view looks in the partner's own organization (use current_organization())"
        )
    if route.rule.startswith(ADMIN_PREFIX):
        page = html.unescape(response.get_data(as_text=True))
        assert PARTNER_LOCATION not in page, f"{route.id} shows the partner's own organization, not the chosen one"
        assert organization_checksum(own) == before, (
            f"{route.method} {url} by the partner changed their own organization instead of the chosen one")


def test_feature_access_saved_by_a_partner_lands_in_the_chosen_organization(partner: World) -> None:
    from userhub.calling import access
    from userhub.calling.models import CallingFeatureAccess
    from userhub.extensions import db

    client = partner.clients["partner"]
    response = client.post("/admin/calling/access", data={key: "allow" for key in access.ACCESS_KEYS})
    assert response.status_code == 302

    def rows(organization_id: int) -> int:
        return db.session.scalar(select(func.count()).select_from(CallingFeatureAccess).where(
            CallingFeatureAccess.organization_id == organization_id, CallingFeatureAccess.user_id.is_(None)))

    assert rows(partner.organization.id) == len(access.ACCESS_KEYS)
    assert rows(partner.partner_organization.id) == 0


def test_a_partner_opens_the_pages_linked_from_a_user_and_the_chosen_organizations_schedules(partner: World) -> None:
    client, employee = partner.clients["partner"], partner.employee
    assert client.get(f"/admin/users/{employee.id}/calling/access").status_code == 200
    assert client.get(f"/admin/users/{employee.id}/calling/history").status_code == 200
    listing = html.unescape(client.get("/admin/schedules").get_data(as_text=True))
    assert partner.location.name in listing and PARTNER_LOCATION not in listing
    assert client.get(f"/admin/locations/{partner.location.id}/schedules").status_code == 200


# --- one way to learn the organization being administered ---------------------------------------------

USERHUB = Path(__file__).resolve().parents[2] / "userhub"
THE_ONE_PLACE = USERHUB / "admin" / "context.py"


def _admin_modules() -> list[Path]:
    """Every module of the admin area, and every module elsewhere with administrator views."""
    found = []
    for path in sorted(USERHUB.rglob("*.py")):
        if path == THE_ONE_PLACE:
            continue
        if path.is_relative_to(USERHUB / "admin") or "admin_required" in path.read_text(encoding="utf-8"):
            found.append(path)
    return found


def _reads_of_the_users_organization(source: str, label: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and node.attr in ("organization", "organization_id")
                and isinstance(node.value, ast.Name) and node.value.id == "current_user"):
            found.append(f"{label}:{node.lineno}: current_user.{node.attr}")
    return found


def test_admin_code_never_reads_the_administrators_own_organization() -> None:
    modules = _admin_modules()
    assert USERHUB / "calling" / "admin_views.py" in modules and USERHUB / "schedules" / "admin_views.py" in modules
    found = [hit for path in modules for hit in _reads_of_the_users_organization(
        path.read_text(encoding="utf-8"), str(path.relative_to(USERHUB.parent)))]
    assert not found, ("admin code must use userhub.admin.context.current_organization() (a partner works in "
                       "the organization they chose):\n" + "\n".join(found))


def test_the_check_sees_a_read_of_the_users_organization() -> None:
    source = "def view():\n    org = current_user.organization_id\n    return current_user.organization.name\n"
    assert _reads_of_the_users_organization(source, "views.py") == [
        "views.py:2: current_user.organization_id", "views.py:3: current_user.organization"]
    assert _reads_of_the_users_organization("def view():\n    return current_organization().id\n", "v.py") == []
