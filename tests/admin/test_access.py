"""Who may open what: every admin route against every role, and organizations kept apart.

The routes come from the URL map of the admin blueprint, so a new route is covered automatically."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from userhub.accounts.models import User
from userhub.admin.models import AuditEvent
from userhub.extensions import db
from userhub.organizations.models import Location, PhoneNumber

# Which roles may change things through each POST route (everyone else: 403).
WRITERS = {
    "admin.new_location": {"full"},
    "admin.settings": {"full"},
    "admin.choose_organization": {"full", "user", "read_only"},
    "admin.user_page": {"full", "user"},
}
# Which roles may read each GET page.
READERS = {
    "admin.billing_report": {"full", "read_only"},
    "admin.billing_csv": {"full", "read_only"},
    "admin.audit_log": {"full", "read_only"},
    "admin.add_users": {"full", "user"},
    "admin.users_added": {"full", "user"},
    "admin.send_invitations": {"full", "user"},
    "admin.import_users": {"full", "user"},
    "admin.delete_user": {"full", "user"},
    "admin.new_location": {"full"},
}
ALL_ADMINS = {"full", "user", "read_only"}


def admin_routes(app) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, rule.rule))
    return routes


def fill(rule: str, ids: dict[str, int]) -> str:
    return re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), rule)


def _read(response) -> int:  # type: ignore[no-untyped-def]
    response.get_data()
    response.close()
    return response.status_code


@pytest.mark.parametrize("role", ["full", "user", "read_only", None])
def test_role_matrix(app, client_as, organization, make_user, role):
    target = make_user("target@example.com", active=False)
    job_owner = client_as("full")
    ids = {"user_id": target.id, "location_id": organization.locations[0].id, "job_id": 0}
    # a job to look at
    assert job_owner.post("/admin/invitations").status_code == 302
    from userhub.admin.models import AdminJob

    ids["job_id"] = db.session.scalar(select(AdminJob.id))
    client = client_as(role)
    for endpoint, method, rule in admin_routes(app):
        url = fill(rule, ids)
        if method == "GET":
            allowed = READERS.get(endpoint, ALL_ADMINS)
            status = _read(client.get(url))
            expected_ok = role in allowed
            assert (status < 400) == expected_ok, (endpoint, role, status)
            if role is None:
                assert status == 403, (endpoint, status)
        else:
            allowed = WRITERS.get(endpoint, READERS.get(endpoint, {"full", "user"}))
            status = client.post(url, data={}).status_code
            if role not in allowed:
                assert status == 403, (endpoint, method, role, status)
            else:
                assert status != 403, (endpoint, method, role, status)


def test_menu_entry_only_for_administrators(client_as):
    assert 'href="/admin/users"' in client_as("read_only").get("/").get_data(as_text=True)
    assert 'href="/admin/users"' not in client_as(None).get("/").get_data(as_text=True)


def test_read_only_administrator_gets_no_form_that_would_fail(client_as, make_user):
    target = make_user("target@example.com", active=False)
    client = client_as("read_only")
    pages = [client.get(url).get_data(as_text=True)
             for url in ("/admin/users", f"/admin/users/{target.id}", "/admin/locations", "/admin/settings")]
    for page in pages:
        assert 'method="post"' not in page.replace('action="/language"', "").split("</header>", 1)[1]
        assert "/admin/users/add" not in page
        assert "/delete" not in page


def _snapshot() -> tuple[int, ...]:
    return (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(PhoneNumber.id))),
            db.session.scalar(select(func.count(Location.id))),
            db.session.scalar(select(func.count(PhoneNumber.id)).where(PhoneNumber.user_id.is_not(None))),
            db.session.scalar(select(func.count(AuditEvent.id))))


def test_an_administrator_cannot_reach_another_organizations_objects(app, client_as, other_org):
    client = client_as("full")
    ids = {"user_id": other_org["employee"].id, "location_id": other_org["location"].id, "job_id": 0}
    from userhub.admin.jobs import create_job
    from userhub.admin.models import JobKind

    job = create_job(other_org["org"].id, JobKind.INVITATIONS, [], None)
    db.session.commit()
    ids["job_id"] = job.id
    before = _snapshot()
    tried = 0
    for endpoint, method, rule in admin_routes(app):
        if "<int:" not in rule:
            continue
        url = fill(rule, ids)
        response = client.get(url) if method == "GET" else client.post(url, data={"extension": "99"})
        assert response.status_code == 404, (endpoint, method, response.status_code)
        tried += 1
    assert tried >= 6
    db.session.expire_all()
    assert _snapshot() == before


def test_the_users_list_shows_only_the_own_organization(client_as, other_org):
    page = client_as("full").get("/admin/users?q=worker").get_data(as_text=True)
    assert "worker@globex.example.com" not in page
    assert client_as("full").get(f"/admin/users?location={other_org['location'].id}").status_code == 200
