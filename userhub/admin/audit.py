"""The audit log: every administrative change, with who made it and when."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import current_user
from sqlalchemy import func, select

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..organizations.models import Organization
from .models import AuditEvent

PAGE_SIZE = 50
# What each recorded action is called on the audit page (the code is what is stored).
ACTIONS = {
    "user.created": _l("User created"),
    "user.changed": _l("User changed"),
    "user.deleted": _l("User deleted"),
    "invitation.sent": _l("Invitation sent"),
    "invitations.all": _l("Invitations sent to every pending user"),
    "users.imported": _l("Users imported"),
    "location.created": _l("Location created"),
    "numbers.added": _l("Numbers added"),
    "settings.activation_emails": _l("Activation emails setting changed"),
    "voicemail.fax_messaging": _l("Fax messaging setting changed"),
}


def record(organization: Organization, action: str, target: str = "", details: str = "") -> AuditEvent:
    """Add an audit entry to the current transaction: it is stored only if the change is."""
    actor = current_user if getattr(current_user, "is_authenticated", False) else None
    event = AuditEvent(
        organization_id=organization.id,
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else "",
        action=action,
        target=target[:300],
        details=details,
    )
    db.session.add(event)
    return event


@dataclass
class AuditPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int


def events(organization: Organization, page: int = 1) -> AuditPage:
    total = db.session.scalar(select(func.count()).where(AuditEvent.organization_id == organization.id)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.organization_id == organization.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return AuditPage(list(rows), total, page, pages)
