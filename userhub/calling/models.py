"""Tables of the calling area (imported by userhub.models so that Alembic sees them).

One row per (user, feature) holds that feature's values as JSON with a version for optimistic
concurrency; criteria, the executive/assistant relation, feature access and history have their own
tables. A user without a row has the reference defaults (nothing is written to read them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model, db
from ..timeutil import utcnow


class CallingSetting(Model):
    __tablename__ = "calling_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    feature: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who saved last (the user, or an administrator); kept when that person is deleted.
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)

    __table_args__ = (
        UniqueConstraint("user_id", "feature"),
        CheckConstraint("version >= 1", name="version_positive"),
    )


class CallingCriterion(Model):
    """A rule of a feature (reference section 1): when, from whom, and whether it is a "don't" rule."""

    __tablename__ = "calling_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    feature: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(80))
    # NULL means "every day, all day". No ON DELETE: the database refuses to delete a schedule in use
    # (checked at the end of the statement, so deleting a person removes their schedules and rules together).
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id"), default=None, index=True)
    schedule_level: Mapped[str | None] = mapped_column(String(16), default=None)
    schedule_type: Mapped[str | None] = mapped_column(String(16), default=None)
    calls_from: Mapped[str] = mapped_column(String(20), default="any")
    anonymous_callers: Mapped[bool] = mapped_column(Boolean, default=False)
    unavailable_callers: Mapped[bool] = mapped_column(Boolean, default=False)
    phone_numbers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # False = a "don't" rule (don't ring, don't forward...), which wins over positive rules.
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Selective forward only: NULL = the feature's default number.
    forward_to: Mapped[str | None] = mapped_column(String(30), default=None)

    __table_args__ = (
        Index("ix_calling_criteria_user_feature", "user_id", "feature", "position"),
        CheckConstraint("schedule_level IS NULL OR schedule_level IN ('personal', 'location')", name="level"),
        CheckConstraint("schedule_type IS NULL OR schedule_type IN ('business_hours', 'holidays')", name="type"),
        CheckConstraint("calls_from IN ('any', 'select', 'forwarded', 'internal', 'external')", name="calls_from"),
    )


class ExecutiveAssistant(Model):
    """An assistant of an executive, in alerting order, with the assistant's opt-in."""

    __tablename__ = "calling_executive_assistants"

    id: Mapped[int] = mapped_column(primary_key=True)
    executive_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    assistant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    opted_in: Mapped[bool] = mapped_column(Boolean, default=True)  # "By default an assistant is opted in"

    __table_args__ = (
        UniqueConstraint("executive_id", "assistant_id"),
        CheckConstraint("executive_id <> assistant_id", name="not_self"),
    )


class CallingFeatureAccess(Model):
    """Whether users may change a feature: the organization's default (user_id NULL) or one user's override."""

    __tablename__ = "calling_feature_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), default=None)
    feature: Mapped[str] = mapped_column(String(40))
    allowed: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        Index("ix_calling_feature_access_org", "organization_id", "user_id"),
        # One default per organization and feature, one override per user and feature.
        Index("uq_calling_feature_access_default", "organization_id", "feature", unique=True,
              sqlite_where=db.text("user_id IS NULL"), postgresql_where=db.text("user_id IS NULL")),
        Index("uq_calling_feature_access_user", "user_id", "feature", unique=True,
              sqlite_where=db.text("user_id IS NOT NULL"), postgresql_where=db.text("user_id IS NOT NULL")),
    )


class CallingHistory(Model):
    """One saved change: who, when, and a list of [field, before, after] shown as a readable diff."""

    __tablename__ = "calling_settings_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    feature: Mapped[str] = mapped_column(String(40))
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    changed_by_name: Mapped[str] = mapped_column(String(254), default="")  # kept if that person is deleted
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[list[list[str]]] = mapped_column(JSON, default=list)

    __table_args__ = (Index("ix_calling_settings_history_user", "user_id", "changed_at"),)
