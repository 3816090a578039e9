"""Faults while serving: the mail server down while people are invited, a crash after any step of creating a
user, the database connection lost in the middle of a request."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from userhub.accounts import provisioning, services
from userhub.accounts.models import AccountToken, User
from userhub.extensions import db
from userhub.mail import outbox
from userhub.mail.models import OutboxMessage
from userhub.organizations.models import PhoneNumber
from userhub.timeutil import utcnow


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _invite(organization, email: str, number: PhoneNumber | None = None) -> User:  # type: ignore[no-untyped-def]
    """What the administrator's "create user" does: create, give a number, invite, one commit."""
    user = provisioning.create_user(organization, email, first_name="New", last_name="Person",
                                    location=number.location if number else None, phone_number=number)
    services.send_invitation(user)
    db.session.commit()
    return user


def test_smtp_down_while_inviting_then_each_mail_delivered_exactly_once(app, organization, mailbox):
    port = app.config["USERHUB_SMTP_PORT"]
    app.config["USERHUB_SMTP_PORT"] = 1  # nothing listens: the mail server is down
    people = [f"new{n}@example.com" for n in range(6)]
    for email in people:
        _invite(organization, email)
    assert outbox.deliver_due() == 0
    assert _count(User) == 6 and _count(OutboxMessage) == 6
    waiting = db.session.scalars(sa.select(OutboxMessage)).all()
    assert all(row.sent_at is None and row.attempts == 1 and row.last_error for row in waiting)

    app.config["USERHUB_SMTP_PORT"] = port  # back up; two workers drain the outbox at the same moment
    later = utcnow() + timedelta(minutes=2)
    sent: list[int] = []

    def worker() -> None:
        with app.app_context():
            sent.append(outbox.deliver_due(now=later))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(sent) == 6
    assert outbox.deliver_due(now=later + timedelta(hours=3)) == 0
    assert sorted(str(m["To"]) for m in mailbox.messages) == sorted(people)


def _steps():  # type: ignore[no-untyped-def]
    """Every step of creating and inviting a user, as (module, function name)."""
    from userhub.accounts import services as accounts_services

    return [
        (provisioning, "normalise_email"),
        (provisioning, "check_extension"),
        (provisioning, "assign_number"),
        (accounts_services, "issue_token"),
        (accounts_services, "public_url"),
        (accounts_services, "queue_email"),
    ]


class Crash(RuntimeError):
    pass


@pytest.mark.parametrize("step", range(len(_steps()) + 1), ids=[n for _, n in _steps()] + ["commit"])
def test_a_crash_after_any_step_leaves_no_partial_user_and_sends_nothing(app, organization, mailbox, monkeypatch, step):
    number = db.session.scalar(sa.select(PhoneNumber).order_by(PhoneNumber.e164))
    if step < len(_steps()):
        module, name = _steps()[step]
        original = getattr(module, name)

        def crash_after(*args, **kwargs):  # type: ignore[no-untyped-def]
            original(*args, **kwargs)
            raise Crash(name)

        monkeypatch.setattr(module, name, crash_after)
    else:
        def crash_in_commit(session):  # type: ignore[no-untyped-def]
            raise Crash("commit")

        sa.event.listen(db.session, "before_commit", crash_in_commit)
    try:
        with pytest.raises(Crash):
            user = provisioning.create_user(organization, "crash@example.com", first_name="Cr", last_name="Ash",
                                            location=number.location, phone_number=number, extension="4321")
            services.send_invitation(user)
            db.session.commit()
        db.session.rollback()  # what the error handler and the request teardown do
    finally:
        if step == len(_steps()):
            sa.event.remove(db.session, "before_commit", crash_in_commit)
    db.session.expire_all()
    assert _count(User) == 0 and _count(AccountToken) == 0 and _count(OutboxMessage) == 0
    assert db.session.get(PhoneNumber, number.id).user_id is None
    assert mailbox.deliver() == []
    # And the same creation then works: nothing was left half-done to get in its way.
    monkeypatch.undo()
    _invite(organization, "crash@example.com", number)
    assert len(mailbox.deliver()) == 1
