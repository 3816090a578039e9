"""Queue emails in the caller's transaction; deliver them later, once each, with retries.

``queue_email`` only adds a row to the current database session: if the change that causes
the email rolls back, no email exists. ``deliver_due`` claims rows with a conditional UPDATE,
so several workers (threads, processes, machines) never send the same message twice.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.exc import DBAPIError

from .. import unit_of_work
from ..extensions import db
from ..timeutil import utcnow
from .models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # with the backoff below, about a day and a half of retries
CLAIM_FOR = timedelta(minutes=5)
_CLAIM_MARGIN = timedelta(seconds=30)  # stop retrying a little before another worker may take over
# Subject of a deferred row: an ask whose message (if any) the worker writes, see queue_deferred.
DEFERRED = "[deferred] "
_writers: dict[str, Callable[[str], None]] = {}


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


def deferred_writer(kind: str) -> Callable[[Callable[[str], None]], Callable[[str], None]]:
    """Register the function that writes the messages of deferred asks of ``kind``: it gets the address
    and queues (queue_email) what is due to it, or nothing, in the worker's transaction."""

    def register(writer: Callable[[str], None]) -> Callable[[str], None]:
        _writers[kind] = writer
        return writer

    return register


def queue_deferred(kind: str, to: str) -> OutboxMessage:
    """Record, in the caller's transaction, that a message of ``kind`` may be due to ``to``; the worker
    decides and writes it. A request that must not reveal whether ``to`` has an account (a password reset
    ask) then does the same work whatever the answer: one row, the same for everyone."""
    message = OutboxMessage(to_address=to[:254], subject=(DEFERRED + kind)[:200], body_text="", body_html="",
                            message_id=make_msgid(idstring=uuid.uuid4().hex, domain="deferred.invalid"))
    db.session.add(message)
    db.session.info["userhub_mail_queued"] = True
    return message


def write_deferred(now: datetime | None = None) -> int:
    """Turn the deferred asks into messages (or nothing): each claimed like a message, written by its kind's
    writer, then removed, in one transaction. Returns how many were handled."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(deferred_asks(), OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .order_by(OutboxMessage.id)
    ).all()
    db.session.rollback()
    handled = 0
    for row_id in ids:
        if not _claim(row_id, now):
            continue
        row = db.session.get(OutboxMessage, row_id)
        if row is None:
            continue
        writer = _writers.get(row.subject.removeprefix(DEFERRED))
        try:
            with unit_of_work.committing():
                if writer is None:
                    raise LookupError(f"no writer for {row.subject!r}")
                writer(row.to_address)
                db.session.delete(row)
            handled += 1
        except Exception as exc:  # one bad ask must not stop the outbox; it stays, marked failed
            log.exception("Deferred email %s could not be written", row_id)
            with unit_of_work.committing():
                row = db.session.get(OutboxMessage, row_id)
                if row is not None:
                    row.failed_at, row.claimed_until, row.last_error = now, None, type(exc).__name__
    return handled


def deferred_asks() -> ColumnElement[bool]:
    """The outbox rows that are asks, not messages (yet)."""
    return OutboxMessage.subject.startswith(DEFERRED, autoescape=True)


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
    with unit_of_work.committing():  # at once: the other workers must see the claim
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
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE/DELETE returns a CursorResult


def deliver_due(limit: int = 100, now: datetime | None = None) -> int:
    """Write the deferred asks, then send the messages that are due. Returns how many were sent."""
    write_deferred(now)
    now = now or utcnow()
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            ~deferred_asks(),
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
        claim_ends = time.monotonic() + (CLAIM_FOR - _CLAIM_MARGIN).total_seconds()
        row = db.session.get(OutboxMessage, row_id)
        if row is None:
            continue
        attempts, to_address, message = row.attempts + 1, row.to_address, build_message(row)
        db.session.rollback()  # no transaction stays open (nor a lock, on SQLite) while SMTP answers
        try:
            _transport(message)
        except (OSError, smtplib.SMTPException) as exc:
            outcome: dict[str, object] = {"attempts": attempts, "claimed_until": None,
                                          "last_error": f"{type(exc).__name__}: {exc}"[:2000]}
            if attempts >= MAX_ATTEMPTS:
                outcome["failed_at"] = now
            else:
                outcome["next_attempt_at"] = now + _backoff(attempts)
            log.warning("Email %s to %s not delivered (attempt %d): %s", row_id, to_address, attempts, exc)
        else:
            outcome = {"attempts": attempts, "sent_at": utcnow(), "last_error": ""}
            sent += 1
        _record(row_id, outcome, claim_ends)
    return sent


def _record(row_id: int, outcome: dict[str, object], claim_ends: float) -> None:
    """Store what happened to a claimed message. The SMTP server may have accepted it already: if the
    database connection is lost now, reconnect and try again while our claim holds, or the message would
    be sent again once the claim expires. Only the worker process dying can still cause that."""
    delay = 0.1
    while True:
        try:
            with unit_of_work.committing():  # rolls back, or drops a dead connection, if this fails
                db.session.execute(
                    update(OutboxMessage).where(OutboxMessage.id == row_id).values(**outcome)
                    .execution_options(synchronize_session=False)
                )
            return
        except DBAPIError as error:
            if time.monotonic() + delay >= claim_ends:
                raise
            log.warning("Recording email %s failed (%s); trying again", row_id, type(error).__name__)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def deliver_all_now(app: Flask) -> int:
    """Deliver everything due, in an application context (CLI and worker thread)."""
    with app.app_context():
        try:
            return deliver_due()
        finally:
            db.session.remove()
