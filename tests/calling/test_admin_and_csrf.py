"""Administrators of the other kinds, and the forms' CSRF protection."""

from __future__ import annotations

from userhub.calling import access

from .conftest import page_version


def test_a_feature_form_without_its_csrf_token_changes_nothing(app, me_client, me):
    app.config["WTF_CSRF_ENABLED"] = True  # after signing in: the suite's sign-in helper posts without tokens
    version = page_version(me_client, "call-waiting")
    response = me_client.post("/settings/calling/call-waiting", data={"version": version, "save": "1"})
    assert response.status_code == 400
    assert page_version(me_client, "call-waiting") == "0"


def test_read_only_administrators_see_access_but_cannot_change_it(make_user, app, me):
    from tests.conftest import sign_in
    from userhub.accounts.models import AdminRole

    make_user("reader@example.com", first_name="Rita", last_name="Reader", admin_role=AdminRole.READ_ONLY)
    client = app.test_client()
    sign_in(client, "reader@example.com")
    page = client.get(f"/admin/users/{me.id}/calling/access")
    assert page.status_code == 200 and "disabled" in page.get_data(as_text=True)
    refused = client.post(f"/admin/users/{me.id}/calling/access", data={"hoteling": "deny"})
    assert refused.status_code == 403 and access.user_overrides(me) == {}


def test_employees_cannot_open_the_administrator_pages(me_client):
    assert me_client.get("/admin/calling/access").status_code == 403
