"""Attempts to sign in, activate and reset are limited per account and per address."""

from __future__ import annotations

from tests.conftest import STRONG_PASSWORD
from tests.links import open_link


def test_sign_in_is_throttled_per_account_after_ten_failures(app, user):
    client = app.test_client()
    client.post("/sign-in", data={"email": user.email})
    for _ in range(10):
        assert client.post("/sign-in/password", data={"password": "Wrong-Password-1!"}).status_code == 400
    blocked = client.post("/sign-in/password", data={"password": STRONG_PASSWORD})
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.data
    # Another account from the same address is not blocked by this one's failures.
    other = app.test_client()
    other.post("/sign-in", data={"email": "someone.else@example.com"})
    assert other.post("/sign-in/password", data={"password": "x"}).status_code == 400


def test_successful_sign_ins_do_not_count(app, user):
    for _ in range(12):
        client = app.test_client()
        client.post("/sign-in", data={"email": user.email})
        assert client.post("/sign-in/password", data={"password": STRONG_PASSWORD}).status_code == 302


def test_forgot_password_is_throttled_per_account(client, user):
    for _ in range(5):
        assert client.post("/password/forgot", data={"email": user.email}).status_code == 200
    assert client.post("/password/forgot", data={"email": user.email}).status_code == 429


def test_activation_attempts_are_throttled_per_link(client, make_user):
    from userhub.accounts import services
    from userhub.extensions import db

    issued = services.send_invitation(make_user(active=False, password=None))
    db.session.commit()
    form = open_link(client, f"/activate/{issued.raw}")  # the form's address holds no token: the session does
    for _ in range(20):
        assert client.post(form, data={"password": "x", "confirm": "x"}).status_code == 400
    assert client.post(form, data={"password": "x", "confirm": "x"}).status_code == 429
