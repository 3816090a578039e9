"""Repeated failures lock one account (whoever tries it), and the locked person can still reset their password."""

from __future__ import annotations

import re

from tests.conftest import STRONG_PASSWORD, sign_in
from tests.links import open_link


def test_a_locked_person_can_still_reset_their_password(app, user, mailbox):
    client = app.test_client()
    client.post("/sign-in", data={"email": user.email})
    for _ in range(10):
        client.post("/sign-in/password", data={"password": "Wrong-Password-1!"})
    assert client.post("/sign-in/password", data={"password": STRONG_PASSWORD}).status_code == 429
    # Someone else at another browser is locked out of this account too: the limit is per account.
    assert sign_in(app.test_client(), user.email).status_code == 429

    assert client.post("/password/forgot", data={"email": user.email}).status_code == 200
    (message,) = mailbox.deliver()
    link = re.search(r"https://hub\.example\.com(/password/reset/[A-Za-z0-9_-]+)", mailbox.text(message)).group(1)
    new = "Copper-Lantern-Meadow-58?"
    response = client.post(open_link(client, link), data={"password": new, "confirm": new})
    assert response.status_code == 302
    assert client.get("/").status_code == 200, "the reset signs the person in despite the sign-in lock"


def test_a_reset_lifts_the_accounts_sign_in_lock_at_once(app, user, mailbox):
    """Locked out after 10 wrong passwords, the person resets their password: the new one works at once,
    in any browser, instead of being refused for up to 15 minutes."""
    locked = app.test_client()
    locked.post("/sign-in", data={"email": user.email})
    for _ in range(10):
        locked.post("/sign-in/password", data={"password": "Wrong-Password-1!"})
    assert sign_in(app.test_client(), user.email).status_code == 429

    reset = app.test_client()
    assert reset.post("/password/forgot", data={"email": user.email}).status_code == 200
    (message,) = mailbox.deliver()
    link = re.search(r"https://hub\.example\.com(/password/reset/[A-Za-z0-9_-]+)", mailbox.text(message)).group(1)
    new = "Copper-Lantern-Meadow-58?"
    assert reset.post(open_link(reset, link), data={"password": new, "confirm": new}).status_code == 302

    assert sign_in(app.test_client(), user.email, new).status_code == 302
    assert locked.post("/sign-in/password", data={"password": new}).status_code == 302
    # The lock counts again from zero: wrong passwords still lock the account after 10 tries.
    other = app.test_client()
    other.post("/sign-in", data={"email": user.email})
    for _ in range(10):
        assert other.post("/sign-in/password", data={"password": "Wrong-Password-1!"}).status_code == 400
    assert other.post("/sign-in/password", data={"password": new}).status_code == 429
