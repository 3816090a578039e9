"""Activation emails sent by administrators: one user, or every user who has not activated.

"Envoyer des invitations" answers at once: it stores one job holding the ids of the pending users;
the job then issues a fresh link (voiding older ones) and queues each email through the outbox.
"""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import User, UserStatus
from ..accounts.services import send_invitation
from ..extensions import db
from ..organizations.models import ActivationEmails, Organization
from . import audit, jobs
from .models import AdminJob, JobKind


def set_activation_emails(organization: Organization, mode: str) -> None:
    if mode not in (ActivationEmails.AUTOMATIC.value, ActivationEmails.MANUAL.value):
        raise ValueError(mode)
    if organization.activation_emails != mode:
        organization.activation_emails = mode
        audit.record(organization, "settings.activation_emails", organization.name, {"mode": mode})


def pending_count(organization: Organization) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count(User.id)).where(
        User.organization_id == organization.id, User.status == UserStatus.INVITED.value)) or 0


def invite_all(organization: Organization) -> AdminJob:
    """Queue invitations to every user who has not activated (the caller commits, then starts the job)."""
    ids = list(db.session.scalars(select(User.id).where(
        User.organization_id == organization.id, User.status == UserStatus.INVITED.value).order_by(User.id)))
    job = jobs.create_job(organization.id, JobKind.INVITATIONS, ids, current_user.id)
    audit.record(organization, "invitations.all", organization.name, {"count": len(ids)})
    return job


@jobs.handler(JobKind.INVITATIONS)
def _invite_chunk(job: AdminJob, user_ids: list[int], start: int) -> list[list]:  # type: ignore[type-arg]
    users = db.session.scalars(select(User).where(
        User.id.in_(user_ids), User.organization_id == job.organization_id,
        User.status == UserStatus.INVITED.value))
    for user in users:  # users who activated or were deleted meanwhile are skipped
        send_invitation(user)
    return []


def resend(user: User) -> bool:
    """A fresh activation email for one user; False if the user has already activated."""
    if user.status != UserStatus.INVITED.value:
        return False
    send_invitation(user)
    audit.record(user.organization, "invitation.sent", user.email)
    return True


MAX_SELECTED = 500  # more than a page of the users list; a longer post is cut, not refused


def resend_selected(organization: Organization, user_ids: list[int]) -> tuple[list[User], int]:
    """"Renvoyer l'invitation" to the people ticked in the users list: a fresh activation email to each one of
    this organization who has not activated, audited one by one as the single resend is. Returns the people
    emailed and how many of the selection were skipped (already active, deleted, or of another organization)."""
    ids = list(dict.fromkeys(user_ids))[:MAX_SELECTED]
    pending = list(db.session.scalars(select(User).where(
        User.id.in_(ids), User.organization_id == organization.id,
        User.status == UserStatus.INVITED.value).order_by(User.id)))
    for user in pending:
        send_invitation(user)
        audit.record(organization, "invitation.sent", user.email)
    return pending, len(ids) - len(pending)
