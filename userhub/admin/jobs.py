"""Background jobs of the admin area (CSV imports, invitations to everyone), run in chunks.

The request that starts a job only inserts one row and returns. A thread of the web process then
works through it chunk by chunk, committing after each chunk, so progress is visible and a crash
loses at most one chunk; `flask admin-run-jobs` resumes unfinished jobs (e.g. after a restart).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import select, update

from .. import unit_of_work
from ..extensions import db
from ..timeutil import utcnow
from .models import AdminJob, JobKind, JobStatus

# One chunk is one write transaction: on SQLite (the demo) every other writer waits for it, so it stays
# well under a second (200 invitations took seconds and made saves fail with "database is locked").
CHUNK = 20
log = logging.getLogger(__name__)
_handlers: dict[str, Callable[[AdminJob, list, int], list[list]]] = {}  # type: ignore[type-arg]


def handler(kind: JobKind):  # type: ignore[no-untyped-def]
    """Register the function that processes ``items[start:start+CHUNK]`` of a job; it returns failures."""
    def register(function):  # type: ignore[no-untyped-def]
        _handlers[kind.value] = function
        return function
    return register


def create_job(organization_id: int, kind: JobKind, items: list, created_by_id: int | None,  # type: ignore[type-arg]
               parent: AdminJob | None = None) -> AdminJob:
    job = AdminJob(organization_id=organization_id, kind=kind.value, payload=json.dumps(items),
                   total=len(items), created_by_id=created_by_id, parent_id=parent.id if parent else None)
    db.session.add(job)
    return job


def run_chunk(job: AdminJob) -> bool:
    """Process the next chunk and commit. Returns True while work remains."""
    if job.status == JobStatus.DONE.value:
        return False
    with unit_of_work.committing():
        _process_chunk(job)
    return job.status != JobStatus.DONE.value


def _process_chunk(job: AdminJob) -> None:
    items = json.loads(job.payload)
    start = job.done
    job.status = JobStatus.RUNNING.value
    failures = _handlers[job.kind](job, items[start:start + CHUNK], start)
    if failures:
        job.failures = json.dumps(json.loads(job.failures) + failures)
    job.done = min(start + CHUNK, len(items))
    if job.done >= len(items):
        job.status = JobStatus.DONE.value
        job.finished_at = utcnow()


def _claim(job_id: int) -> bool:
    """Take a pending job for this thread: of two runners, only one gets it."""
    with unit_of_work.committing():
        result = db.session.execute(
            update(AdminJob).where(AdminJob.id == job_id, AdminJob.status == JobStatus.PENDING.value)
            .values(status=JobStatus.RUNNING.value).execution_options(synchronize_session=False)
        )
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE/DELETE returns a CursorResult


def run_job(job_id: int, claim: bool = True) -> None:
    if claim and not _claim(job_id):
        return
    job = db.session.get(AdminJob, job_id)
    while job is not None and run_chunk(job):
        job = db.session.get(AdminJob, job_id)


def run_pending(organization_id: int) -> None:
    """Jobs that a finished job queued (e.g. the invitations of imported users)."""
    for job_id in db.session.scalars(select(AdminJob.id).where(
            AdminJob.organization_id == organization_id, AdminJob.status == JobStatus.PENDING.value)).all():
        run_job(job_id)


def _run_with_followers(job_id: int, organization_id: int) -> None:
    run_job(job_id)
    run_pending(organization_id)


def _run_in_thread(app: Flask, job_id: int, organization_id: int) -> None:
    with app.app_context():
        try:
            _run_with_followers(job_id, organization_id)
        except Exception:  # a thread has no caller to report to
            # The committed chunks stay; `flask admin run-jobs` finishes the rest.
            log.exception("Admin job %s stopped; run `flask admin run-jobs` to finish it", job_id)
        finally:
            db.session.remove()


def start(job: AdminJob) -> None:
    """Run the job once the unit of work that created it is committed (its runner reads it from the
    database): in a thread, or at once when USERHUB_ADMIN_JOBS_INLINE is set (tests)."""
    db.session.flush()  # its id
    job_id, organization_id = job.id, job.organization_id
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        if app.config.get("USERHUB_ADMIN_JOBS_INLINE", app.testing):
            _run_with_followers(job_id, organization_id)
            return
        threading.Thread(target=_run_in_thread, args=(app, job_id, organization_id), daemon=True,
                         name=f"admin-job-{job_id}").start()

    unit_of_work.after_commit(run)


def resume_unfinished() -> int:
    ids = db.session.scalars(select(AdminJob.id).where(AdminJob.status != JobStatus.DONE.value)).all()
    for job_id in ids:
        run_job(job_id, claim=False)  # run by hand after a restart: "running" ones were interrupted
    return len(ids)


def failures(job: AdminJob) -> list[list]:  # type: ignore[type-arg]
    return json.loads(job.failures)


@dataclass
class Progress:
    """What a job's page says: rows checked and imported, activation emails queued and sent, time left."""

    checked: int
    done: int
    failed: int
    invitations_queued: int
    invitations_sent: int
    finished: bool
    remaining: timedelta | None  # None until there is a rate to estimate from, and once finished

    @property
    def imported(self) -> int:
        return self.done - self.failed


def progress(job: AdminJob, now: datetime) -> Progress:
    """The job and the jobs it queued (an import's activation emails), with the time left at the rate so far."""
    children = db.session.execute(select(AdminJob.total, AdminJob.done, AdminJob.status)
                                  .where(AdminJob.parent_id == job.id)).all()
    queued = sum(total for total, _done, _status in children)
    sent = sum(done for _total, done, _status in children)
    finished = job.status == JobStatus.DONE.value and all(s == JobStatus.DONE.value for _t, _d, s in children)
    work_done, work_total = job.done + sent, job.total + queued
    elapsed = (now - job.created_at).total_seconds()
    remaining = None
    if not finished and work_done and elapsed > 0:
        remaining = timedelta(seconds=(work_total - work_done) * elapsed / work_done)
    return Progress(job.total, job.done, len(failures(job)), queued, sent, finished, remaining)
