"""Hostile input through a real server: gunicorn (the production server) de-chunks a
``Transfer-Encoding: chunked`` body and hands it on without a Content-Length; the size, type and encoding
checks must hold for it exactly as for any other body. And NUL characters, which PostgreSQL's text cannot
store, are refused with the clear "could not be read" message wherever they come in."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import free_port, sign_in
from userhub.extensions import db

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def gunicorn(database, tmp_path_factory) -> Iterator[int]:  # type: ignore[no-untyped-def]
    """gunicorn serving userhub on the test database, with a 64 KiB body limit; yields its port."""
    from gunicorn.config import KNOWN_SETTINGS

    port, tmp_path = free_port(), tmp_path_factory.mktemp("gunicorn")
    env = {key: value for key, value in os.environ.items() if not key.startswith("USERHUB_")}
    env.update({
        "USERHUB_DATABASE_URL": database.url, "USERHUB_SECRET_KEY": secrets.token_urlsafe(48),
        "USERHUB_BASE_URL": f"http://127.0.0.1:{port}", "USERHUB_MAIL_WORKER_THREAD": "0",
        "USERHUB_MAX_CONTENT_LENGTH": str(LIMIT), "USERHUB_ARGON2_PROFILE": "test",
        "USERHUB_DEFAULT_LOCALE": "en", "PYTHONPATH": str(ROOT),
    })
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "--graceful-timeout", "2"]
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        command.append("--no-control-socket")
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen([*command, "userhub:create_app()"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _send_chunked(port: int, path: str, body: bytes, content_type: str, chunk: int = 16 * 1024) -> tuple[int, bytes]:
    """POST ``body`` in chunks of ``chunk`` bytes, then read the whole answer (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
                     "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n".encode())
        try:
            for start in range(0, len(body), chunk):
                piece = body[start:start + chunk]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the end: what an early 413 may do
        answer = b""
        while data := sock.recv(65536):
            answer += data
    head, _, content = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), content


def _outbox_rows() -> int:
    with db.engine.connect() as connection:
        return connection.execute(sa.text("select count(*) from outbox_messages")).scalar_one()


def test_a_chunked_body_over_the_limit_gets_413_before_the_view(app, gunicorn, make_user):
    make_user("jane.doe@example.com")
    body = b"email=jane.doe%40example.com&padding=" + b"x" * (4 * LIMIT)
    status, content = _send_chunked(gunicorn, "/password/forgot", body, "application/x-www-form-urlencoded")
    assert status == 413 and b"too large" in content
    assert _outbox_rows() == 0  # the view never ran


def test_chunked_bodies_get_the_type_and_encoding_checks(app, gunicorn):
    cases = [
        (b'{"email": "jane.doe@example.com"}', "application/json", 415, b"not accepted here"),
        (b"email=jane%00doe%40example.com", "application/x-www-form-urlencoded", 400, b"could not be read"),
        (b"email=jane\xffdoe%40example.com", "application/x-www-form-urlencoded", 400, b"could not be read"),
        (b"email=" + b"x" * 5000, "application/x-www-form-urlencoded", 400, b"far longer than this form accepts"),
    ]
    for body, content_type, expected, message in cases:
        status, content = _send_chunked(gunicorn, "/password/forgot", body, content_type, chunk=7)
        assert (status, message in content) == (expected, True), (body[:40], status)


def test_a_chunked_body_within_the_limit_still_works(app, gunicorn):
    status, content = _send_chunked(gunicorn, "/password/forgot", b"email=", "application/x-www-form-urlencoded")
    assert status == 400  # CSRF is on in this server: the form was read, and refused for its missing token
    assert b"expired or was sent from elsewhere" in content


@pytest.mark.parametrize("field,page", [
    ("display_name", "/welcome/name"),
])
def test_nul_in_a_text_field_is_refused_and_nothing_is_stored(user_client, user, field, page):
    response = user_client.post(page, data={field: "Jane\x00Doe"})
    assert response.status_code == 400 and b"could not be read" in response.data
    db.session.refresh(user)
    assert "\x00" not in (user.display_name or "")


def test_nul_in_a_search_or_a_path_is_refused(user_client):
    for url in ("/?q=a%00b", "/settings/calling/contacts?q=%00", "/activate/abc%00def"):
        response = user_client.get(url)
        assert response.status_code == 400 and b"could not be read" in response.data, url


def test_far_dates_and_huge_numbers_in_admin_queries(admin_client, user):
    for url in ("/admin/billing?start=9999-12-31&end=9999-12-31", "/admin/billing.csv?start=0001-01-01&end=9999-12-31",
                "/admin/users?location=99999999999999999999&page=99999999999999999999",
                "/admin/audit?page=9223372036854775808", "/admin/users/added?count=99999999999999999999"):
        response = admin_client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    users = admin_client.get("/admin/users?location=99999999999999999999")
    assert user.email.encode() in users.data  # the filter falls back to "every location"


def test_far_days_in_the_call_panel_are_refused_with_a_message(client, jane):
    # Jane works in Paris: 0001-01-01 at 00:05 there is in year 0 in UTC, which used to overflow (500).
    assert sign_in(client, jane.email).status_code == 302
    for day in ("0001-01-01", "9999-12-31"):
        response = client.get("/settings/calling", query_string={"day": day, "time": "00:05"})
        assert response.status_code == 200, (day, response.status_code)
        assert b"Choose a day between 2000 and 2100." in response.data
