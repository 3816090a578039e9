"""Forgotten password: a one-hour, single-use link; the same answer whether or not the account exists."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from tests.conftest import STRONG_PASSWORD, sign_in
from tests.links import open_link
from userhub.accounts.models import User
from userhub.extensions import db
from userhub.timeutil import utcnow

LINK = re.compile(r"https://hub\.example\.com(/password/reset/[A-Za-z0-9_\-]+)")
NEW = "Copper-Lantern-Meadow-58?"


def ask_reset(client, mailbox, email="jane.doe@example.com"):  # type: ignore[no-untyped-def]
    response = client.post("/password/forgot", data={"email": email})
    delivered = mailbox.deliver()
    return response, delivered


def reset_path(mailbox, delivered) -> str:  # type: ignore[no-untyped-def]
    match = LINK.search(mailbox.text(delivered[-1]))
    assert match
    return match.group(1)


def test_same_answer_whether_or_not_the_account_exists(client, user, mailbox):
    known, sent = ask_reset(client, mailbox)
    unknown, nothing = ask_reset(client, mailbox, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    # The CSRF token embeds the second it was made: the two pages may straddle a second.
    def page(response, email):  # type: ignore[no-untyped-def]
        return re.sub(rb'name="csrf_token" value="[^"]*"', b"", response.data).replace(email, b"X")

    assert page(known, b"jane.doe") == page(unknown, b"nobody")
    assert len(sent) == 1 and nothing == []


def test_reset_changes_the_password_and_ends_other_sessions(app, user, mailbox):
    phone = app.test_client()
    sign_in(phone, user.email)
    client = app.test_client()
    _, delivered = ask_reset(client, mailbox)
    assert "60 minutes" in mailbox.text(delivered[0])
    path = open_link(client, reset_path(mailbox, delivered))
    response = client.post(path, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    assert sign_in(app.test_client(), user.email, NEW).status_code == 302


def test_reset_link_works_once(client, user, mailbox):
    _, delivered = ask_reset(client, mailbox)
    path = reset_path(mailbox, delivered)
    client.post(open_link(client, path), data={"password": NEW, "confirm": NEW})
    response = client.application.test_client().get(path)
    assert response.status_code == 410
    assert sign_in(client.application.test_client(), user.email, NEW).status_code == 302


def test_reset_link_expires_after_an_hour(client, user, mailbox):
    start = utcnow()
    with time_machine.travel(start, tick=False):
        _, delivered = ask_reset(client, mailbox)
    path = reset_path(mailbox, delivered)
    with time_machine.travel(start + timedelta(minutes=60, seconds=1), tick=False):
        assert client.get(path).status_code == 410


def test_reset_applies_the_same_policy(client, user, mailbox):
    _, delivered = ask_reset(client, mailbox)
    path = open_link(client, reset_path(mailbox, delivered))
    response = client.post(path, data={"password": "Password1!", "confirm": "Password1!"})
    assert response.status_code == 400 and b"Too easy to guess" in response.data
    db.session.expire_all()
    assert sign_in(client.application.test_client(), user.email).status_code == 302


def test_invited_user_without_password_gets_no_reset_mail(client, make_user, mailbox):
    make_user("new@example.com", active=False, password=None)
    response, delivered = ask_reset(client, mailbox, "new@example.com")
    assert response.status_code == 200 and delivered == []


def test_locked_out_person_can_still_reset(app, user, mailbox):
    client = app.test_client()
    client.post("/sign-in", data={"email": user.email})
    for _ in range(10):
        client.post("/sign-in/password", data={"password": "Wrong-Password-1!"})
    assert client.post("/sign-in/password", data={"password": STRONG_PASSWORD}).status_code == 429
    _, delivered = ask_reset(client, mailbox)
    path = open_link(client, reset_path(mailbox, delivered))
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert db.session.get(User, user.id).password_hash
