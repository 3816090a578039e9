"""What the product must not give away: whether an address has an account (by the time "forgot password"
takes), what people typed (in log lines), everyone in the directory (by a wildcard), a page with someone's
name and address left in a cache, and requests refused before a view without an id to find them by."""

from __future__ import annotations

import logging
import re

import pytest
import sqlalchemy as sa
from sqlalchemy import event, func, select

from tests.conftest import sign_in
from tests.links import open_link
from userhub import create_app
from userhub.accounts import services
from userhub.contacts import services as contacts
from userhub.extensions import db
from userhub.mail import outbox
from userhub.mail.models import OutboxMessage
from userhub.ops import JsonFormatter

# --- "forgot password": the request does the same work for any address ----------------------------


def _statements_of(client, email: str) -> list[str]:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _many):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post("/password/forgot", data={"email": email})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return statements


def test_forgot_password_does_the_same_work_for_known_and_unknown_addresses(app, user, mailbox):
    known = _statements_of(app.test_client(), user.email)
    unknown = _statements_of(app.test_client(), "nobody@example.com")
    assert known == unknown  # same statements, in the same order: no lookup, no token, no mail in the request
    assert not any("user_tokens" in s or "FROM users" in s for s in known), known
    asks = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(a.to_address, a.body_text) for a in asks] == [(user.email, ""), ("nobody@example.com", "")]
    assert mailbox.messages == []
    # The worker decides: a link for the account, nothing for the unknown address, no ask left behind.
    delivered = mailbox.deliver()
    assert [m["To"] for m in delivered] == [user.email]
    assert "/password/reset/" in mailbox.text(delivered[0])
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))) == 0


def test_a_failing_reset_ask_is_set_aside_and_the_rest_is_delivered(app, user, make_user, mailbox, monkeypatch):
    other = make_user("john.smith@example.com", first_name="John", last_name="Smith")
    services.request_password_reset(user.email)
    services.request_password_reset(other.email)
    db.session.commit()  # as the forgotten-password requests commit at their edge

    def broken(email: str) -> None:
        if email == user.email:
            raise RuntimeError("template missing")
        services.write_reset_email(email)

    monkeypatch.setitem(outbox._writers, services.PASSWORD_RESET_ASK, broken)
    delivered = mailbox.deliver()
    assert [m["To"] for m in delivered] == [other.email]
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.failed_at.is_not(None))).all()
    assert [f.to_address for f in failed] == [user.email]


# --- the directory: what people type is text, not a pattern -----------------------------------------


@pytest.mark.parametrize("query", ["%", "_", "%%", "j%e", "\\"])
def test_directory_search_takes_wildcards_literally(user_client, make_user, query):
    make_user("john.smith@example.com", first_name="John", last_name="Smith")
    response = user_client.get("/", query_string={"q": query})
    assert response.status_code == 200
    assert b"john.smith@example.com" not in response.data and b"John Smith" not in response.data


def test_directory_search_still_finds_pieces_of_names(user_client, make_user):
    make_user("john.smith@example.com", first_name="John", last_name="Smith")
    response = user_client.get("/", query_string={"q": "smi"})
    assert b"John Smith" in response.data


def test_a_name_with_a_percent_sign_is_found_by_it(user_client, make_user):
    make_user("pct@example.com", first_name="Cent", last_name="100%")
    make_user("plain@example.com", first_name="Cent", last_name="Mille")
    response = user_client.get("/", query_string={"q": "100%"})
    assert b"Cent 100%" in response.data and b"Cent Mille" not in response.data


def test_contact_search_takes_wildcards_literally(app, user):
    contacts.save_contact(user, "Bob", [contacts.NumberInput("work", "+33184883200")])
    contacts.save_contact(user, "50% off", [])
    assert [c.name for c in contacts.search_contacts(user, "%")] == ["50% off"]
    assert contacts.search_contacts(user, "_") == []


# --- pages with a person's address and names are never cached -------------------------------------


def test_activation_and_reset_pages_are_not_stored(app, make_user, user, mailbox):
    invited = make_user("new@example.com", active=False, password=None)
    issued = services.send_invitation(invited)
    db.session.commit()
    client = app.test_client()
    page = client.get(open_link(client, f"/activate/{issued.raw}"))
    assert page.status_code == 200 and b"new@example.com" in page.data
    assert page.headers["Cache-Control"] == "no-store"
    asked = client.post("/password/forgot", data={"email": user.email})
    assert asked.headers["Cache-Control"] == "no-store"  # the page repeats the address
    [message] = [m for m in mailbox.deliver() if m["To"] == user.email]
    path = re.search(r"https://hub\.example\.com(/password/reset/[\w-]+)", mailbox.text(message)).group(1)  # type: ignore[union-attr]
    path = open_link(client, path)
    reset = client.get(path)
    assert reset.status_code == 200 and reset.headers["Cache-Control"] == "no-store"
    refused = client.post(path, data={"password": "short", "confirm": "short"})
    assert refused.status_code == 400 and refused.headers["Cache-Control"] == "no-store"


# --- request ids on requests refused before any view -----------------------------------------------

_REFUSALS = {
    "415": ({"data": b'{"a": 1}', "headers": {"Content-Type": "application/json"}}, 415),
    "400 encoding": ({"data": b"email=a%FFb", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400),
    "413": ({"data": {"email": "x" * 3000}}, 413),
    "400 CSRF": ({"data": {"email": "jane.doe@example.com"}}, 400),
}


@pytest.mark.parametrize("case", list(_REFUSALS))
def test_requests_refused_before_a_view_have_a_request_id(app, caplog, case):
    # As in production: JSON logs (their filter adds the id to each record) and CSRF protection on.
    logger = logging.getLogger("userhub")
    handlers = logger.handlers[:]
    try:
        served = create_app({**app.config, "USERHUB_JSON_LOGS": True, "WTF_CSRF_ENABLED": True,
                             "MAX_CONTENT_LENGTH": 2048})
        served.test_client_class = app.test_client_class
        arguments, status = _REFUSALS[case]
        with caplog.at_level(logging.INFO, logger="userhub"):
            response = served.test_client().post("/password/forgot", **arguments)
    finally:
        logger.handlers[:] = handlers  # the rest of the suite logs as before
    assert response.status_code == status
    request_id = response.headers.get("X-Request-ID", "")
    assert re.fullmatch(r"[0-9a-f]{16}", request_id), request_id
    [line] = [r for r in caplog.records if r.name == "userhub.access"]
    assert getattr(line, "request_id", None) == request_id
    assert f' {status} ' in line.getMessage()


# --- log lines never quote what people typed ----------------------------------------------------------


def test_database_errors_in_logs_do_not_quote_typed_values(app, user, caplog):
    from userhub.accounts.models import User

    typed = "Zébulon-Secret-Name"
    with caplog.at_level(logging.ERROR, logger="userhub"):
        try:
            db.session.add(User(organization_id=user.organization_id, email=user.email, first_name=typed,
                                last_name=typed, status="active"))
            db.session.flush()
        except sa.exc.IntegrityError:
            logging.getLogger("userhub.test").exception("Saving failed")
            db.session.rollback()
    [record] = caplog.records
    line = JsonFormatter().format(record)
    assert "IntegrityError" in line  # the error is there...
    assert typed not in line and user.email not in line  # ...not what was typed


def test_the_sign_in_page_still_works_with_ids(client):
    response = client.get("/sign-in")
    assert response.status_code == 200 and response.headers["X-Request-ID"]
    assert sign_in(client, "nobody@example.com", "x").status_code == 400


def test_admin_users_search_takes_wildcards_literally(admin_client, user):
    assert user.email.encode() in admin_client.get("/admin/users", query_string={"q": "jane"}).data
    for query in ("%", "_", "%a"):
        assert user.email.encode() not in admin_client.get("/admin/users", query_string={"q": query}).data, query
