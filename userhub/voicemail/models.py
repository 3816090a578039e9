"""Tables of the voicemail area: settings per user, custom greetings, PIN history, the organization's switches.

Greeting audio is kept in the database (LargeBinary, at most two files of 5000 KB per user): it is saved
in the same transaction as the settings that point to it, removed with the user by the cascade, covered
by the database backup, and shared by every web worker and server without a common disk.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..timeutil import utcnow

MIN_RINGS, MAX_RINGS, DEFAULT_RINGS = 2, 20, 3


class Greeting(enum.StrEnum):
    DEFAULT = "default"
    CUSTOM = "custom"


class GreetingKind(enum.StrEnum):
    BUSY = "busy"
    NO_ANSWER = "no_answer"


class Storage(enum.StrEnum):
    INTERNAL = "internal"  # messages on the phone and in the portal
    EXTERNAL = "external"  # every message is sent to an email address


class VoicemailOrganizationSettings(Model):
    """What an organization allows its users (no row: the defaults below)."""

    __tablename__ = "voicemail_organization_settings"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    fax_messaging_allowed: Mapped[bool] = mapped_column(default=False)


class VoicemailSettings(Model):
    """One row per user; ``version`` refuses a save made from a page that is out of date (the service's
    conditional UPDATE, errors.StalePage)."""

    __tablename__ = "voicemail_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    enabled: Mapped[bool] = mapped_column(default=True)
    send_all_calls: Mapped[bool] = mapped_column(default=False)
    send_busy_calls: Mapped[bool] = mapped_column(default=False)
    busy_greeting: Mapped[str] = mapped_column(String(10), default=Greeting.DEFAULT.value)
    send_unanswered_calls: Mapped[bool] = mapped_column(default=True)
    unanswered_rings: Mapped[int] = mapped_column(default=DEFAULT_RINGS)
    no_answer_greeting: Mapped[str] = mapped_column(String(10), default=Greeting.DEFAULT.value)
    notifications_enabled: Mapped[bool] = mapped_column(default=False)
    notification_email: Mapped[str] = mapped_column(String(254), default="")
    email_copy_enabled: Mapped[bool] = mapped_column(default=False)
    email_copy_address: Mapped[str] = mapped_column(String(254), default="")
    transfer_enabled: Mapped[bool] = mapped_column(default=False)
    transfer_number: Mapped[str] = mapped_column(String(16), default="")  # E.164
    storage: Mapped[str] = mapped_column(String(10), default=Storage.INTERNAL.value)
    external_email: Mapped[str] = mapped_column(String(254), default="")
    fax_enabled: Mapped[bool] = mapped_column(default=False)
    fax_number: Mapped[str] = mapped_column(String(16), default="")  # E.164
    fax_extension: Mapped[str] = mapped_column(String(10), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(f"unanswered_rings BETWEEN {MIN_RINGS} AND {MAX_RINGS}", name="rings"),
        CheckConstraint("busy_greeting IN ('default', 'custom')", name="busy_greeting"),
        CheckConstraint("no_answer_greeting IN ('default', 'custom')", name="no_answer_greeting"),
        CheckConstraint("storage IN ('internal', 'external')", name="storage"),
        CheckConstraint("storage = 'internal' OR external_email <> ''", name="external_email"),
        CheckConstraint("NOT transfer_enabled OR transfer_number <> ''", name="transfer_number"),
        CheckConstraint("NOT fax_enabled OR fax_number <> ''", name="fax_number"),
    )


class VoicemailGreeting(Model):
    """A custom greeting: a WAV file checked by its content when uploaded."""

    __tablename__ = "voicemail_greetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    duration_ms: Mapped[int]
    audio: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read only when played
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        CheckConstraint("kind IN ('busy', 'no_answer')", name="kind"),
    )


class VoicemailPin(Model):
    """The current PIN (newest row) and the ones before it: argon2 hashes only, ten at most."""

    __tablename__ = "voicemail_pins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    pin_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_voicemail_pins_user_created", "user_id", "created_at"),)
