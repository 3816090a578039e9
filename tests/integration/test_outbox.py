"""Emails are stored with the change that causes them and delivered once, even across an SMTP outage."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from userhub.accounts import services
from userhub.extensions import db
from userhub.mail.models import OutboxMessage
from userhub.mail.outbox import deliver_due
from userhub.timeutil import utcnow


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def test_rolled_back_change_sends_nothing(make_user, mailbox):
    user = make_user("new@example.com", active=False, password=None)
    services.send_invitation(user)
    db.session.rollback()
    assert _count() == 0
    assert mailbox.deliver() == []


def test_smtp_outage_loses_nothing_and_sends_once(make_user, mailbox):
    user = make_user("new@example.com", active=False, password=None)
    services.send_invitation(user)
    db.session.commit()
    mailbox.refuse(True)
    assert deliver_due() == 0
    row = db.session.scalar(select(OutboxMessage))
    assert row.sent_at is None and row.attempts == 1 and "451" in row.last_error
    mailbox.refuse(False)
    assert deliver_due() == 0  # not yet due: the retry waits
    assert deliver_due(now=utcnow() + timedelta(minutes=2)) == 1
    assert deliver_due(now=utcnow() + timedelta(hours=2)) == 0
    assert len(mailbox.messages) == 1
    assert mailbox.messages[0]["Message-ID"] == row.message_id


def test_smtp_server_down_keeps_mail_waiting(app, make_user, mailbox):
    user = make_user("new@example.com", active=False, password=None)
    services.send_invitation(user)
    db.session.commit()
    port = app.config["USERHUB_SMTP_PORT"]
    app.config["USERHUB_SMTP_PORT"] = 1  # nothing listens there
    assert deliver_due() == 0
    row = db.session.scalar(select(OutboxMessage))
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    app.config["USERHUB_SMTP_PORT"] = port
    assert deliver_due(now=utcnow() + timedelta(minutes=2)) == 1
    assert len(mailbox.messages) == 1


def test_a_claimed_message_is_not_sent_by_a_second_worker(make_user, mailbox):
    user = make_user("new@example.com", active=False, password=None)
    services.send_invitation(user)
    db.session.commit()
    row = db.session.scalar(select(OutboxMessage))
    row.claimed_until = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert deliver_due() == 0
    assert mailbox.messages == []


def test_html_in_names_is_escaped_in_emails(make_user, mailbox):
    user = make_user("new@example.com", first_name="<script>alert(1)</script>", last_name="")
    services.request_password_reset(user.email)
    db.session.commit()  # as the forgotten-password request commits at its edge
    [message] = mailbox.deliver()
    assert "<script>" not in mailbox.html(message)
    assert "&lt;script&gt;" in mailbox.html(message)
