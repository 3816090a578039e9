"""The mail thread is woken by a listener on SQLAlchemy's Session class: that listener is registered
once per process, not once per application (each one added before kept every old worker and its app
alive and woke them all on any commit)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from userhub import create_app
from userhub.extensions import db
from userhub.mail.worker import start_thread


def _listeners() -> int:
    return len(list(Session().dispatch.after_commit))


def test_starting_two_workers_adds_at_most_one_listener(app):
    other = create_app({**app.config})
    workers = []
    try:
        workers.append(start_thread(app))
        after_first = _listeners()
        workers.append(start_thread(other))
        workers.append(start_thread(app))
        assert _listeners() == after_first
    finally:
        for worker in workers:
            worker.stop()
    assert not any(worker.thread.is_alive() for worker in workers)


def test_a_commit_that_queued_mail_wakes_the_worker_of_its_own_application(app):
    other = create_app({**app.config})
    mine, theirs = start_thread(app), start_thread(other)
    for worker in (mine, theirs):
        worker.stop()  # stopped, so nothing but the listener sets wake_up from here on
        worker.wake_up.clear()
    db.session.info["userhub_mail_queued"] = True  # what outbox.queue does
    db.session.commit()
    assert mine.wake_up.is_set()
    assert not theirs.wake_up.is_set()
