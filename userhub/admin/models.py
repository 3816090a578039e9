"""Tables of the admin area: audit log, package history (billing), background jobs, partner access.

Billing history and the audit log outlive the users they mention: they keep the user's id without a
foreign key and a copy of the email and name, so deleting a user never deletes what was billed.
"""

from __future__ import annotations

import enum
from datetime import datetime

from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import User
from ..extensions import Model
from ..timeutil import utcnow


class AuditEvent(Model):
    """Who did what, when, in which organization."""

    __tablename__ = "admin_audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(default=None)  # no FK: the actor may be deleted later
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[str] = mapped_column(Text, default="")  # English text of entries from before params
    # What happened, as data (counts, numbers, codes); audit.describe writes it in the reader's language.
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_admin_audit_org_created", "organization_id", "created_at"),)


class PackageAssignment(Model):
    """One period during which a user held a package: the basis of the two-monthly billing."""

    __tablename__ = "admin_package_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column()  # no FK on purpose: kept after the user is deleted
    user_email: Mapped[str] = mapped_column(String(254))
    user_name: Mapped[str] = mapped_column(String(201), default="")
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id", ondelete="RESTRICT"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        Index("ix_admin_package_org_period", "organization_id", "started_at", "ended_at"),
        Index("ix_admin_package_user_open", "user_id", "ended_at"),
    )


class JobKind(enum.StrEnum):
    IMPORT = "import"
    INVITATIONS = "invitations"


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"


class AdminJob(Model):
    """Work too large for one request (CSV import, invitations to everyone), done in chunks."""

    __tablename__ = "admin_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    # The job that queued this one (an import's invitations): the import's progress counts them.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("admin_jobs.id", ondelete="CASCADE"), index=True,
                                                  default=None)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.PENDING.value)
    payload: Mapped[str] = mapped_column(Text, default="[]")  # JSON: the validated rows, or the user ids
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    failures: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [[line, reason], ...]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        CheckConstraint("kind IN ('import', 'invitations')", name="kind"),
        CheckConstraint("status IN ('pending', 'running', 'done')", name="status"),
    )


class PartnerOrganization(Model):
    """A customer organization that a partner (wholesale) administrator manages."""

    __tablename__ = "admin_partner_organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)

    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)


# Prefix search of the users list ("Recherche par nom ou par adresse électronique") on names, whatever
# their case: expression indexes on the users table, created by this area's migration.
_users = User.__table__
Index("ix_admin_users_org_first_lower", _users.c.organization_id, func.lower(_users.c.first_name))
Index("ix_admin_users_org_last_lower", _users.c.organization_id, func.lower(_users.c.last_name))
# The location filter, in name order.
Index("ix_admin_users_org_location_name", _users.c.organization_id, _users.c.location_id, _users.c.last_name,
      _users.c.first_name)
# The users list's keyset pages: each sort, alone or behind the status or location filter, read in order
# from an index ending with the sort's key (admin.users.SORTS; "name" alone: ix_users_org_last_first).
Index("ix_admin_users_org_email", _users.c.organization_id, _users.c.email)
Index("ix_admin_users_org_status_name", _users.c.organization_id, _users.c.status, _users.c.last_name,
      _users.c.first_name, _users.c.id)
Index("ix_admin_users_org_status_email", _users.c.organization_id, _users.c.status, _users.c.email)
Index("ix_admin_users_org_location_status_name", _users.c.organization_id, _users.c.location_id, _users.c.status,
      _users.c.last_name, _users.c.first_name, _users.c.id)
Index("ix_admin_users_org_location_email", _users.c.organization_id, _users.c.location_id, _users.c.email)
