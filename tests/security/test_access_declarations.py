"""The access decorators both enforce and declare: what a view declares is what it does."""

from __future__ import annotations

import pytest
from flask import Blueprint

from tests.conftest import sign_in
from userhub.security.access import Access, access_of, admin_required, own_data, public


def test_declarations_read_as_intended():
    @admin_required(change=("full", "user"))
    def users_page():  # type: ignore[no-untyped-def]
        return "ok"

    declared = access_of(users_page)
    assert declared.allows("read_only", "GET") and not declared.allows("read_only", "POST")
    assert declared.allows("user", "POST") and not declared.allows(None, "GET")
    assert access_of(own_data(users_page)).organization_scoped is False
    assert access_of(own_data(users_page)).roles == declared.roles
    assert access_of(public(lambda: "ok")).allows(None, "POST", signed_in=False)
    assert access_of(lambda: "ok") == Access()
    with pytest.raises(ValueError):
        admin_required("superuser")


def test_admin_required_enforces_its_change_roles(app, make_user, database):
    from userhub import create_app
    from userhub.accounts.models import AdminRole

    bp = Blueprint("probe", __name__)

    @bp.route("/probe", methods=["GET", "POST"])
    @admin_required(change=("full",))
    def probe():  # type: ignore[no-untyped-def]
        return "ok"

    probe_app = create_app(dict(app.config))
    probe_app.register_blueprint(bp)
    probe_app.test_client_class = type(app.test_client())
    make_user("reader@example.com", admin_role=AdminRole.READ_ONLY)
    make_user("full@example.com", admin_role=AdminRole.FULL)
    make_user("employee@example.com")
    expected = {"reader@example.com": (200, 403), "full@example.com": (200, 200), "employee@example.com": (403, 403)}
    for email, (read, change) in expected.items():
        client = probe_app.test_client()
        assert sign_in(client, email).status_code == 302
        assert (client.get("/probe").status_code, client.post("/probe").status_code) == (read, change), email
