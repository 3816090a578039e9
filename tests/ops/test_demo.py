"""The README's first command, `flask --app userhub demo`, as a newcomer runs it: it prints how to sign in,
each log line once and no warning, and its mailbox says truthfully whether emails leave the machine."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def _read_until(process: subprocess.Popen[str], marker: str, seconds: float = 90) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError("the demo did not start:\n" + "\n".join(lines))


def _without_time(line: str) -> str:
    """A log line without what changes from one line to the next (time, request id, duration)."""
    line = re.sub(r'"time": "[^"]*"', "", line)
    line = re.sub(r'"request_id": "[^"]*"', "", line)
    return re.sub(r"\[[^\]]*\d\d:\d\d:\d\d[^\]]*\]", "", line)


def test_the_demo_prints_how_to_sign_in_and_each_line_once(tmp_path):  # type: ignore[no-untyped-def]
    port = free_port()
    env = {**os.environ, "USERHUB_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "PYTHONUNBUFFERED": "1"}
    env.pop("USERHUB_SMTP_HOST", None)
    env.pop("USERHUB_MAIL_TRANSPORT", None)
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "userhub", "demo", "--port", str(port)],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = _read_until(process, "CTRL+C")
        activation = next(line.split()[-1] for line in lines if "/activate/" in line)
        # As a browser: the activation link's first hop keeps its token in the session cookie and redirects.
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        for url in (f"http://127.0.0.1:{port}/sign-in", activation, f"http://127.0.0.1:{port}/demo-mailbox/"):
            with browser.open(url, timeout=30) as response:
                assert response.status == 200, url
        time.sleep(1)  # the access lines of those requests
    finally:
        process.terminate()
        rest, _ = process.communicate(timeout=30)
    lines += rest.splitlines()
    text = "\n".join(lines)
    assert f"http://127.0.0.1:{port}/sign-in" in text and "admin@example.com" in text
    assert re.search(r"password \S{12,}", text), text
    assert "is at the latest schema." in text  # migrated from nothing, and said so in one line
    assert "Running upgrade" not in text  # not a line per migration above the sign-in details
    with sqlite3.connect(tmp_path / "demo.db") as database:  # every migration ran
        assert database.execute("SELECT count(*) FROM sip_servers").fetchone() is not None
    assert "GET /sign-in 200" in text  # the app's own access line
    printed = Counter(_without_time(line) for line in lines if line.strip())
    repeated = [line for line, count in printed.items() if count > 1 and line.startswith("{")]
    assert repeated == [], "log lines printed more than once:\n" + "\n".join(repeated)
    # The app's lines are printed by its JSON handler only, not a second time in another format.
    assert not [line for line in lines if re.match(r"INFO +\[(userhub|alembic)", line)], text
    assert "SAWarning" not in text and "Warning:" not in text, text


@pytest.mark.parametrize("app_config", [{"USERHUB_DEMO_MAILBOX": True, "USERHUB_MAIL_TRANSPORT": "console"}],
                         indirect=True)
def test_the_demo_mailbox_says_emails_are_not_sent_when_they_are_not(app, client, app_config):  # type: ignore[no-untyped-def]
    page = client.get("/demo-mailbox/").get_data(as_text=True)
    assert "emails are not sent" in page
    assert "SMTP" not in page


@pytest.mark.parametrize("app_config", [{"USERHUB_DEMO_MAILBOX": True}], indirect=True)
def test_the_demo_mailbox_says_emails_leave_through_smtp_when_they_do(app, client, make_user, app_config):  # type: ignore[no-untyped-def]
    from userhub.accounts.services import send_invitation
    from userhub.extensions import db
    from userhub.mail.outbox import deliver_due

    send_invitation(make_user("invited@example.com", active=False))
    db.session.commit()
    deliver_due()  # through the suite's real SMTP server (aiosmtpd)
    page = client.get("/demo-mailbox/").get_data(as_text=True)
    assert "emails are not sent" not in page
    assert "Emails are sent through the SMTP server 127.0.0.1" in page
    assert re.search(r"<td[^>]*>Sent [^<]+</td>", page), page
