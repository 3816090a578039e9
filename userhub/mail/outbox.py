"""Queue emails in the caller's transaction; deliver them later, once each, with retries.

``queue_email`` only adds a row to the current database session: if the change that causes
the email rolls back, no email exists. ``deliver_due`` claims rows with a conditional UPDATE,
so several workers (threads, processes, machines) never send the same message twice.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from ..extensions import db
from ..timeutil import utcnow
from .models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # with the backoff below, about a day and a half of retries
CLAIM_FOR = timedelta(minutes=5)


def queue_email(to: str, template: str, locale: str | None, **context: object) -> OutboxMessage:
    """Render ``templates/email/<template>.txt/.html`` (first line of the .txt is the subject) in the
    recipient's language and add it to the outbox in the current transaction."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    subject, _, body = text.partition("\n")
    domain = current_app.config["USERHUB_MAIL_FROM"].rpartition("@")[2].strip(">") or "userhub.local"
    message = OutboxMessage(
        to_address=to,
        subject=subject.strip()[:200],
        body_text=body.lstrip("\n"),
        body_html=html,
        message_id=make_msgid(idstring=uuid.uuid4().hex, domain=domain),
    )
    db.session.add(message)
    db.session.info["userhub_mail_queued"] = True
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def build_message(row: OutboxMessage) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["USERHUB_MAIL_FROM"]
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Message-ID"] = row.message_id
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    return message


def _send_smtp(message: EmailMessage) -> None:
    cfg = current_app.config
    host, port, timeout = cfg["USERHUB_SMTP_HOST"], cfg["USERHUB_SMTP_PORT"], cfg["USERHUB_SMTP_TIMEOUT"]
    if cfg["USERHUB_SMTP_TLS"] == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if cfg["USERHUB_SMTP_TLS"] == "starttls":
            client.starttls(context=ssl.create_default_context())
        if cfg["USERHUB_SMTP_USERNAME"]:
            client.login(cfg["USERHUB_SMTP_USERNAME"], cfg["USERHUB_SMTP_PASSWORD"])
        client.send_message(message)


def _transport(message: EmailMessage) -> None:
    if current_app.config["USERHUB_MAIL_TRANSPORT"] == "console":
        log.info("Email to %s: %s (see the demo mailbox for its content)", message["To"], message["Subject"])
        return
    _send_smtp(message)


def _claim(row_id: int, now: datetime) -> bool:
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + CLAIM_FOR)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE/DELETE returns a CursorResult


def deliver_due(limit: int = 100, now: datetime | None = None) -> int:
    """Send the messages that are due. Returns how many were sent."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    sent = 0
    for row_id in ids:
        if not _claim(row_id, now):
            continue  # another worker has it
        row = db.session.get(OutboxMessage, row_id)
        if row is None:
            continue
        try:
            _transport(build_message(row))
        except (OSError, smtplib.SMTPException) as exc:
            row.attempts += 1
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            row.claimed_until = None
            if row.attempts >= MAX_ATTEMPTS:
                row.failed_at = now
            else:
                row.next_attempt_at = now + _backoff(row.attempts)
            log.warning("Email %s to %s not delivered (attempt %d): %s", row.id, row.to_address, row.attempts, exc)
        else:
            row.attempts += 1
            row.sent_at = utcnow()
            row.last_error = ""
            sent += 1
        db.session.commit()
    return sent


def deliver_all_now(app: Flask) -> int:
    """Deliver everything due, in an application context (CLI and worker thread)."""
    with app.app_context():
        try:
            return deliver_due()
        finally:
            db.session.remove()
