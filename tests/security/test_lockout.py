"""Repeated failures lock one account (whoever tries it), and the locked person can still reset their password."""

from __future__ import annotations

import re

from tests.conftest import STRONG_PASSWORD, sign_in


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
    response = client.post(link, data={"password": new, "confirm": new})
    assert response.status_code == 302
    assert client.get("/").status_code == 200, "the reset signs the person in despite the sign-in lock"
