"""A background thread that drains the outbox: woken when a transaction queued mail, else every few seconds.

Production runs ``flask mail-worker`` as its own process instead (USERHUB_MAIL_WORKER_THREAD=0);
both use the same claim-based delivery, so any number of them may run.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from .outbox import deliver_all_now

log = logging.getLogger(__name__)
POLL_SECONDS = 5.0


class OutboxWorker:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake_up = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="userhub-outbox", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.wake_up.set()
        self.thread.join(timeout=10)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                deliver_all_now(self.app)
            except Exception:  # the worker must survive a database or template error
                log.exception("Outbox delivery failed; will try again")
            self.wake_up.wait(POLL_SECONDS)
            self.wake_up.clear()


def run_forever(app: Flask) -> None:
    """`flask mail-worker`: deliver until interrupted."""
    worker = OutboxWorker(app)
    log.info("Mail worker started")
    try:
        worker._run()
    except KeyboardInterrupt:
        pass


def _wake(session: Session) -> None:
    """After a commit that queued mail, wake the thread of the application the commit ran in."""
    if session.info.pop("userhub_mail_queued", False) and has_app_context():
        worker = current_app.extensions.get("userhub_outbox_worker")
        if worker is not None:
            worker.wake_up.set()


def start_thread(app: Flask) -> OutboxWorker:
    worker = OutboxWorker(app)
    app.extensions["userhub_outbox_worker"] = worker
    # One listener per process, on the class: one per call would keep every old worker (and its
    # application) alive and wake them all on any commit.
    if not event.contains(Session, "after_commit", _wake):
        event.listen(Session, "after_commit", _wake)
    worker.start()
    return worker
