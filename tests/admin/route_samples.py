"""Sample objects for the admin area's URL placeholders (see tests/security/routes.py)."""

from __future__ import annotations

from tests.security.routes import Built, sample


@sample("job_id")
def job(built: Built) -> int:
    """A finished invitations job of organization A (finished: opening its page starts no work)."""
    from userhub.admin import jobs
    from userhub.admin.models import JobKind, JobStatus
    from userhub.extensions import db

    created = jobs.create_job(built.world.organization.id, JobKind.INVITATIONS, [built.world.employee.id],
                              built.world.admins["full"].id)
    created.status, created.done = JobStatus.DONE.value, created.total
    db.session.commit()
    return created.id
