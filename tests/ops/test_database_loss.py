"""The PostgreSQL connection dies while the app serves (server restart, failover, a killed backend): the
request in flight fails cleanly with nothing half-written, and the next ones succeed without restarting the
app. Simulated with pg_terminate_backend on the app's own connections only; the server keeps running."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from tests import conftest as base
from tests.conftest import STRONG_PASSWORD, sign_in
from tests.ops.connections import terminate_connections_of
from userhub import create_app
from userhub.accounts.models import User, UserSession
from userhub.extensions import db
from userhub.security import hashing

NEW_PASSWORD = "Copper-Lantern-Meadow-58?"


@pytest.fixture
def pg_app(backend, app, smtp_server):  # type: ignore[no-untyped-def]
    """The app again, with a name on its database connections so that only they are terminated."""
    if backend != "postgresql":
        pytest.skip("connection loss is simulated with PostgreSQL's pg_terminate_backend")
    name = f"userhub-fault-{secrets.token_hex(4)}"
    config = base.testing_config(app.config["SQLALCHEMY_DATABASE_URI"], smtp_server[0].port)
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, "connect_args": {"application_name": name}}
    faulty = create_app(config)
    faulty.test_client_class = type(app.test_client())
    faulty.config["FAULT_APPLICATION_NAME"] = name
    yield faulty
    with faulty.app_context():
        db.engine.dispose()


def test_later_requests_succeed_after_the_connections_die(pg_app, user):
    client = pg_app.test_client()
    assert sign_in(client, user.email).status_code == 302
    assert client.get("/").status_code == 200
    assert terminate_connections_of(pg_app.config["FAULT_APPLICATION_NAME"]) >= 1
    assert client.get("/").status_code == 200, "the check at checkout should have replaced the dead connection"
    assert client.get("/readyz").get_json()["database"] == "ok"


def test_a_pooled_connection_is_handed_out_without_a_round_trip(pg_app):
    """The check at checkout reads the connection's socket (ops/connections.py): the server sees no
    SELECT 1 before each request's statements, as it did with pool_pre_ping."""
    with pg_app.app_context():
        with db.engine.connect() as connection:
            pid = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        with db.engine.connect() as connection:  # the same pooled connection, taken again
            assert connection.connection.dbapi_connection.info.backend_pid == pid
            # asked on another connection: what the server last received on this one
            watcher = sa.create_engine(base._postgres_base_url())
            with watcher.connect() as other:
                last = other.execute(sa.text("SELECT query FROM pg_stat_activity WHERE pid = :pid"),
                                     {"pid": pid}).scalar_one()
            watcher.dispose()
        assert last == "ROLLBACK", last  # the pool's reset when the first use ended; pre-ping: "SELECT 1"


def test_the_call_decision_succeeds_after_the_connections_die(pg_app, user):
    """A SIP proxy's next question after a database restart gets its plan, not an error (the proxy
    would fail open and ring the person's phones without their settings)."""
    from userhub.sip import services as sip

    with pg_app.app_context():
        _server, token = sip.add_server("proxy-loss")
        person = db.session.get(User, user.id)
        account = sip.set_password(person, "a-long-sip-password-1")
        sip_user = account.sip_user
        db.session.commit()
    client = pg_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/sip/decision?to={sip_user}", headers=headers).status_code == 200
    assert terminate_connections_of(pg_app.config["FAULT_APPLICATION_NAME"]) >= 1
    response = client.get(f"/sip/decision?to={sip_user}", headers=headers)
    assert response.status_code == 200, response.data
    assert response.get_json()["action"] == "ring"


def test_a_request_whose_connection_dies_mid_write_changes_nothing(pg_app, user, monkeypatch):
    from userhub.accounts import sessions

    laptop, phone = pg_app.test_client(), pg_app.test_client()
    assert sign_in(laptop, user.email).status_code == 302
    assert sign_in(phone, user.email).status_code == 302
    original = sessions.end_all_sessions

    def connection_dies(person):  # type: ignore[no-untyped-def]
        # The new password hash is already flushed in this transaction when the connection goes.
        db.session.flush()
        db.session.execute(sa.text("SELECT pg_terminate_backend(pg_backend_pid())"))
        original(person)

    monkeypatch.setattr(sessions, "end_all_sessions", connection_dies)
    response = laptop.post("/account/password", data={"current_password": STRONG_PASSWORD,
                                                      "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 503
    assert b"briefly unavailable" in response.data
    monkeypatch.undo()

    db.session.expire_all()
    person = db.session.get(User, user.id)
    assert hashing.verify_password(person.password_hash, STRONG_PASSWORD), "the new password was half-written"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 2
    # The app goes on without a restart: both browsers still work and the change now succeeds.
    assert phone.get("/").status_code == 200
    response = laptop.post("/account/password", data={"current_password": STRONG_PASSWORD,
                                                      "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert phone.get("/").status_code == 302


def test_the_mail_worker_losing_its_connection_after_smtp_accepted_sends_each_message_once(
        pg_app, user, mailbox, monkeypatch):  # type: ignore[no-untyped-def]
    """The worker's database connection (not the process) dies right after the SMTP server accepted each
    message: the delivery is recorded anyway (reconnect, retry while the claim holds), so nothing is sent
    again when the claim expires."""
    from datetime import timedelta

    from userhub.mail import outbox
    from userhub.mail.models import OutboxMessage
    from userhub.timeutil import utcnow

    name = pg_app.config["FAULT_APPLICATION_NAME"]
    people = [f"person{n}@example.com" for n in range(6)]
    killed: list[int] = []
    user_id = user.id  # read here: inside pg_app, this session would use (and lose) pg_app's connection
    db.session.commit()
    with pg_app.app_context():
        for email in people:
            outbox.queue_email(email, "password_reset", "en", user=db.session.get(User, user_id),
                               reset_url="https://hub.example.com/password/reset/x", valid_minutes=30)
        db.session.commit()
        original = outbox._transport

        def accepted_then_connection_lost(message):  # type: ignore[no-untyped-def]
            original(message)  # the SMTP server has said 250
            killed.append(terminate_connections_of(name))

        monkeypatch.setattr(outbox, "_transport", accepted_then_connection_lost)
        assert outbox.deliver_due() == 6
        monkeypatch.undo()
        assert all(killed), killed  # each time, the worker's connection was terminated
        db.session.remove()
        # Once every claim has expired, a worker finds nothing left to send.
        assert outbox.deliver_due(now=utcnow() + outbox.CLAIM_FOR + timedelta(minutes=1)) == 0
        rows = db.session.scalars(sa.select(OutboxMessage)).all()
        assert [row.sent_at is not None and row.attempts == 1 for row in rows] == [True] * 6
        db.session.remove()
    assert sorted(str(message["To"]) for message in mailbox.messages) == sorted(people)


def test_a_connection_lost_after_the_page_was_made_keeps_the_page(pg_app, caplog):  # type: ignore[no-untyped-def]
    """The connection dies between the view and the end of the request (the ROLLBACK at teardown): the
    page made stands instead of an exception escaping to gunicorn (its bare "Internal Server Error")."""
    import logging

    name = pg_app.config["FAULT_APPLICATION_NAME"]

    @pg_app.after_request
    def connection_lost(response):  # type: ignore[no-untyped-def]
        assert terminate_connections_of(name) >= 1
        return response

    client = pg_app.test_client()
    with caplog.at_level(logging.WARNING, logger="userhub.ops"):
        response = client.get("/activate/" + "x" * 43)  # reads the database: no such link
    assert response.status_code == 404
    assert "Database connection lost while ending the request" in caplog.text
    pg_app.after_request_funcs[None].remove(connection_lost)
    assert client.get("/readyz").get_json()["database"] == "ok"


def test_a_connection_lost_at_the_commit_gives_the_503_page_and_keeps_nothing(pg_app, user, caplog):  # type: ignore[no-untyped-def]
    """The request edge commits (userhub/unit_of_work.py): the connection dies after the view flushed its
    writes, just before the COMMIT. The answer is the app's 503 page and its log line, as for a connection
    lost in the view, and nothing is kept."""
    import logging

    from flask import has_request_context
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    name = pg_app.config["FAULT_APPLICATION_NAME"]
    laptop = pg_app.test_client()
    assert sign_in(laptop, user.email).status_code == 302
    killed: list[int] = []

    def connection_dies(session):  # type: ignore[no-untyped-def]
        if has_request_context() and not killed:
            session.flush()  # the new password hash and the new session are written, not committed
            killed.append(terminate_connections_of(name))

    event.listen(Session, "before_commit", connection_dies)
    try:
        with caplog.at_level(logging.WARNING):
            response = laptop.post("/account/password", data={"current_password": STRONG_PASSWORD,
                                                              "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    finally:
        event.remove(Session, "before_commit", connection_dies)
    assert killed and killed[0] >= 1
    assert response.status_code == 503
    assert b"briefly unavailable" in response.data
    assert "Database connection lost on POST /account/password" in caplog.text

    db.session.expire_all()
    person = db.session.get(User, user.id)
    assert hashing.verify_password(person.password_hash, STRONG_PASSWORD), "the new password was committed"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 1
    response = laptop.post("/account/password", data={"current_password": STRONG_PASSWORD,
                                                      "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
