"""Sign-in (email first, then password), sign-out, sessions that really end."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import STRONG_PASSWORD, sign_in
from userhub.accounts.models import UserSession
from userhub.extensions import db

GENERIC = b"The email address or the password is not correct."


def test_email_first_then_password(client, user):
    page = client.get("/sign-in")
    assert b'type="email"' in page.data and b'type="password"' not in page.data
    response = client.post("/sign-in", data={"email": "  Jane.Doe@Example.com "})
    assert response.status_code == 302 and "/sign-in/password" in response.headers["Location"]
    page = client.get("/sign-in/password")
    assert b"jane.doe@example.com" in page.data and b'type="password"' in page.data
    response = client.post("/sign-in/password", data={"password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_invalid_email_is_explained_and_kept(client):
    response = client.post("/sign-in", data={"email": "not an address"})
    assert response.status_code == 400
    assert b"is not a valid email address" in response.data
    assert b'value="not an address"' in response.data


@pytest.mark.parametrize("case", ["wrong password", "unknown", "invited", "deleted"])
def test_every_failure_gets_the_same_answer(client, make_user, case):
    active = make_user("jane.doe@example.com")
    invited = make_user("new.person@example.com", active=False, password=None)
    email, password = {
        "wrong password": (active.email, "Wrong-Password-123!"),
        "unknown": ("nobody@example.com", STRONG_PASSWORD),
        "invited": (invited.email, STRONG_PASSWORD),
        "deleted": ("gone@example.com", STRONG_PASSWORD),
    }[case]
    if case == "deleted":
        gone = make_user("gone@example.com")
        db.session.delete(gone)
        db.session.commit()
    response = sign_in(client, email, password)
    assert response.status_code == 400
    assert GENERIC in response.data
    assert client.get("/").status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_next_goes_only_to_local_pages(client, user):
    client.post("/sign-in?next=https://evil.example.net/", data={"email": user.email})
    response = client.post("/sign-in/password?next=https://evil.example.net/", data={"password": STRONG_PASSWORD})
    assert response.headers["Location"] == "/"


def test_sign_out_makes_a_copied_cookie_worthless(app, user):
    client = app.test_client()
    sign_in(client, user.email)
    cookie = client.get_cookie("userhub")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("userhub", cookie.value)
    assert thief.get("/").status_code == 200
    client.post("/sign-out")
    assert thief.get("/").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_sign_out_only_by_post(user_client):
    assert user_client.get("/sign-out").status_code == 405
    assert user_client.get("/").status_code == 200


def test_password_change_ends_other_sessions(app, user):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user.email)
    sign_in(phone, user.email)
    new = "Copper-Lantern-Meadow-58?"
    response = laptop.post("/account/password", data={"current_password": STRONG_PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    assert sign_in(app.test_client(), user.email, new).status_code == 302
    assert sign_in(app.test_client(), user.email, STRONG_PASSWORD).status_code == 400


def test_password_change_needs_the_current_password(user_client):
    new = "Copper-Lantern-Meadow-58?"
    response = user_client.post("/account/password", data={"current_password": "nope", "password": new, "confirm": new})
    assert b"Your current password is not correct." in response.data


def test_deleting_the_user_ends_their_sessions(app, user):
    client = app.test_client()
    sign_in(client, user.email)
    assert client.get("/").status_code == 200
    db.session.delete(user)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_session_cookie_flags(app, user):
    client = app.test_client()
    response = sign_in(client, user.email)
    header = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_security_headers(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"  # the sign-in form's post carries an Origin


def test_signed_in_pages_are_not_cached(user_client):
    assert user_client.get("/").headers["Cache-Control"] == "no-store"


def test_session_identifier_changes_at_sign_in(app, user):
    client = app.test_client()
    client.post("/sign-in", data={"email": user.email})
    before = client.get_cookie("userhub").value
    client.post("/sign-in/password", data={"password": STRONG_PASSWORD})
    after = client.get_cookie("userhub").value
    assert before != after
    stale = app.test_client()
    stale.set_cookie("userhub", before)
    assert stale.get("/").status_code == 302


def test_idle_and_old_sessions_end(app, user):
    import time_machine
    from datetime import timedelta

    from userhub.timeutil import utcnow

    start = utcnow()
    with time_machine.travel(start, tick=False):
        idle = app.test_client()
        sign_in(idle, user.email)
    with time_machine.travel(start + timedelta(minutes=119), tick=False):
        assert idle.get("/").status_code == 200  # activity renews the idle timer
    with time_machine.travel(start + timedelta(minutes=119 + 121), tick=False):
        assert idle.get("/").status_code == 302
    with time_machine.travel(start, tick=False):
        busy = app.test_client()
        sign_in(busy, user.email)
    for hours in range(1, 12):
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            assert busy.get("/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert busy.get("/").status_code == 302
