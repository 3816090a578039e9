"""What every page sends back: security headers, no inline script, no caching of signed-in pages, and
names shown as text; cookies of production; client addresses taken only from a trusted proxy."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests import conftest as base
from tests.conftest import sign_in
from tests.security.routes import GET_ROUTES
from userhub import create_app
from userhub.extensions import db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\ssrc=)[^>]*>", re.I)
_INLINE_HANDLER = re.compile(rb"<[^>]+\s(on[a-z]+|style)\s*=", re.I)


def _html_pages(world, person):  # type: ignore[no-untyped-def]
    for route in GET_ROUTES:
        if route.endpoint == "static":
            continue
        response = world.clients[person].get(route.url(world, person))
        if response.mimetype == "text/html":
            yield route, response


@pytest.mark.parametrize("person", ["anonymous", "employee", "full"])
def test_every_page_has_a_strict_policy_and_no_inline_script(world, person):
    for route, response in _html_pages(world, person):
        csp = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp, route.rule
        assert response.headers["X-Content-Type-Options"] == "nosniff", route.rule
        # no referrer where the address holds a secret; elsewhere same-origin, so that forms carry an Origin
        secret = "<token>" in route.rule
        assert response.headers["Referrer-Policy"] == ("no-referrer" if secret else "same-origin"), route.rule
        assert not _INLINE_SCRIPT.search(response.data), f"inline <script> in {route.rule}"
        assert not _INLINE_HANDLER.search(response.data), f"inline handler or style in {route.rule}"
        if person != "anonymous" and response.status_code == 200:
            assert response.headers["Cache-Control"] == "no-store", f"{route.rule} may be cached"


def test_hsts_only_in_production(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers


def test_token_pages_send_no_referrer(client):
    for path in ("/activate/" + "A" * 43, "/password/reset/" + "A" * 43):
        assert client.get(path).headers["Referrer-Policy"] == "no-referrer"


_TEXT_COLUMN = re.compile(r"(name|description|label|title|note|comment)", re.I)


def _store_html_in_every_text_column() -> list[str]:
    """Put the payload in every free-text column of every table (names, descriptions, labels...), whatever
    area owns it; a column whose constraints refuse it is left as it is."""
    changed = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            length = getattr(column.type, "length", None)
            if not isinstance(column.type, sa.String) or not _TEXT_COLUMN.search(column.name):
                continue
            if column.primary_key or column.foreign_keys or (length is not None and length < len(PAYLOAD)):
                continue
            try:
                with db.session.begin_nested():
                    db.session.execute(table.update().values({column.name: PAYLOAD}))
                changed.append(f"{table.name}.{column.name}")
            except sa.exc.DBAPIError:
                pass  # a unique or check constraint: this column cannot hold it
    db.session.commit()
    return changed


def test_stored_html_in_names_is_shown_as_text_on_every_page(world):
    changed = _store_html_in_every_text_column()
    assert {"users.first_name", "users.display_name", "organizations.name", "locations.name"} <= set(changed)
    escaped = b"&lt;script&gt;alert("
    shown_as_text = 0
    for person in ("employee", "read_only", "full", "other_org_admin"):
        for route, response in _html_pages(world, person):
            assert PAYLOAD.encode() not in response.data, f"{route.rule} shows stored HTML as HTML to {person}"
            shown_as_text += escaped in response.data
    assert shown_as_text > 0, "no page showed a stored name at all: the sweep would prove nothing"


def test_production_cookie_is_host_only_secure_httponly_samesite(backend, database, smtp_server, monkeypatch):
    if backend != "postgresql":
        pytest.skip("production mode refuses SQLite")
    monkeypatch.setenv("USERHUB_ENV", "production")
    app = create_app(base.testing_config(database.url, smtp_server[0].port))
    with app.app_context():
        from userhub.accounts.models import User, UserStatus
        from userhub.accounts.provisioning import create_user
        from userhub.organizations.services import create_organization
        from userhub.security.hashing import hash_password

        db.session.execute(sa.delete(User).where(User.email == "prod.person@example.com"))
        person = create_user(create_organization("Prod", "https://prod.example.com"), "prod.person@example.com",
                             first_name="Prod", last_name="Person")
        person.status, person.display_name = UserStatus.ACTIVE.value, "Prod Person"
        person.password_hash = hash_password("Violet-Harbour-Kettle-93!")
        db.session.commit()
        client = app.test_client()
        client.post("/sign-in", data={"email": person.email}, base_url="https://hub.example.com")
        response = client.post("/sign-in/password", data={"password": "Violet-Harbour-Kettle-93!"},
                               base_url="https://hub.example.com")
        assert response.status_code == 302
        cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("__Host-userhub="))
        for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
            assert flag in cookie
        assert "Domain=" not in cookie  # a __Host- cookie must not name a domain
        assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("trusted, spoof_escapes", [(0, False), (1, True)])
def test_forwarded_addresses_count_only_behind_a_trusted_proxy(app, trusted, spoof_escapes):
    """Per-address limits key on the client address: a forged X-Forwarded-For must not buy new attempts."""
    application = create_app({**dict(app.config), "USERHUB_TRUSTED_PROXIES": trusted})
    client = application.test_client()
    for n in range(30):  # the per-address limit of "forgot password"
        client.post("/password/forgot", data={"email": f"p{n}@example.com"}, headers={"X-Forwarded-For": "203.0.113.1"})
    response = client.post("/password/forgot", data={"email": "last@example.com"},
                           headers={"X-Forwarded-For": "203.0.113.99"})
    assert (response.status_code != 429) == spoof_escapes


def test_a_copied_cookie_is_worthless_after_sign_out_password_change_and_deletion(app, make_user):
    from userhub.accounts.models import User

    person = make_user("copied@example.com")
    password_for = {person.email: "Violet-Harbour-Kettle-93!"}
    for ending in ("sign out", "password change", "deletion"):
        victim, thief = app.test_client(), app.test_client()
        assert sign_in(victim, person.email, password_for[person.email]).status_code == 302
        thief.set_cookie("userhub", victim.get_cookie("userhub").value)
        assert thief.get("/").status_code == 200
        if ending == "sign out":
            victim.post("/sign-out")
        elif ending == "password change":
            new = "Copper-Lantern-Meadow-58?"
            victim.post("/account/password", data={"current_password": password_for[person.email],
                                                   "password": new, "confirm": new})
            password_for[person.email] = new
        else:
            db.session.delete(db.session.get(User, person.id))
            db.session.commit()
        assert thief.get("/").status_code == 302, f"the copied cookie still works after {ending}"

