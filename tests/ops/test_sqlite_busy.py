"""The demo runs on SQLite, where one writer at a time holds the database. While a job invites 3,000 people
(a thread of the web process) and the mail thread sends their emails, an administrator keeps saving
settings: every save succeeds, none waits into "database is locked"."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from userhub.accounts.models import User, UserStatus
from userhub.admin.models import AdminJob, JobStatus
from userhub.extensions import db
from userhub.mail import worker as mail_worker

PEOPLE = 3000


@pytest.fixture
def app_config():  # type: ignore[no-untyped-def]
    # As in the demo: jobs and mail in threads of the web process, mail "sent" to the log.
    return {"USERHUB_ADMIN_JOBS_INLINE": False, "USERHUB_MAIL_TRANSPORT": "console"}


def test_sqlite_uses_wal_and_waits_for_the_lock(backend, app):  # type: ignore[no-untyped-def]
    if backend != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_saves_succeed_while_3000_invitations_are_sent(backend, app, admin_client, organization, monkeypatch):  # type: ignore[no-untyped-def]
    if backend != "sqlite":
        pytest.skip("SQLite's single writer; PostgreSQL locks rows")
    db.session.execute(sa.insert(User), [
        {"organization_id": organization.id, "email": f"person{n}@example.com", "first_name": "Person",
         "last_name": str(n), "status": UserStatus.INVITED.value} for n in range(PEOPLE)])
    db.session.commit()
    monkeypatch.setattr(mail_worker, "POLL_SECONDS", 0.1)
    outbox = mail_worker.OutboxWorker(app)
    outbox.start()
    try:
        assert admin_client.post("/admin/invitations", data={}).status_code == 302
        statuses: list[int] = []
        started = time.monotonic()
        for k in range(80):
            mode = ("manual", "automatic")[k % 2]
            response = admin_client.post("/admin/settings", data={"activation_emails": mode})
            statuses.append(response.status_code)
        saving = time.monotonic() - started
        done_meanwhile = db.session.scalar(sa.select(AdminJob.done))
        db.session.rollback()
        deadline = time.monotonic() + 600
        while db.session.scalar(sa.select(AdminJob.status)) != JobStatus.DONE.value:
            assert time.monotonic() < deadline, "the invitation job did not finish"
            time.sleep(0.5)
            db.session.rollback()
    finally:
        outbox.stop()
    print(f"80 saves in {saving:.1f} s while the job ran ({done_meanwhile} of {PEOPLE} invited by then); "
          f"statuses {sorted(set(statuses))}")
    assert statuses == [302] * 80
    assert db.session.scalar(sa.select(AdminJob.done)) == PEOPLE
    assert threading.active_count() < 50
