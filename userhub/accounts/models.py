"""People who sign in, their sessions, and the single-use tokens mailed to them."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..organizations.models import Location, Organization, Package, PhoneNumber
from ..timeutil import utcnow


class UserStatus(enum.StrEnum):
    INVITED = "invited"  # "Vérifié(s)": created, never signed in
    ACTIVE = "active"  # "Actif(s)": created a password and chose a display name


class AdminRole(enum.StrEnum):
    FULL = "full"  # "Administrateur avec accès complet"
    USER = "user"  # users and numbers only
    READ_ONLY = "read_only"  # sees everything, changes nothing


def name_for_display(display_name: str | None, first_name: str | None, last_name: str | None, email: str) -> str:
    """What other people see: the chosen display name, else the names, else the address. From columns too,
    for pages that read several people without loading them."""
    return display_name or " ".join(part for part in (first_name, last_name) if part) or email


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # normalised, lower case
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    display_name: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[str] = mapped_column(String(16), default=UserStatus.INVITED.value, index=True)
    locale: Mapped[str | None] = mapped_column(String(8), default=None)
    time_zone: Mapped[str | None] = mapped_column(String(64), default=None)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id", ondelete="RESTRICT"), default=None)
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT"), index=True, default=None
    )
    # Internal number ("Numéro interne"); unique within the organization (constraint below).
    extension: Mapped[str | None] = mapped_column(String(10), default=None)
    admin_role: Mapped[str | None] = mapped_column(String(16), default=None)
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(default=None)
    password_changed_at: Mapped[datetime | None] = mapped_column(default=None)

    organization: Mapped[Organization] = relationship()
    package: Mapped[Package | None] = relationship()
    location: Mapped[Location | None] = relationship()
    # and PhoneNumber.user, its other side (organizations' models do not import this module)
    phone_number: Mapped[PhoneNumber | None] = relationship(backref="user", uselist=False)

    __table_args__ = (
        UniqueConstraint("organization_id", "extension"),
        CheckConstraint("status IN ('invited', 'active')", name="status"),
        CheckConstraint("admin_role IS NULL OR admin_role IN ('full', 'user', 'read_only')", name="admin_role"),
        Index("ix_users_org_last_first", "organization_id", "last_name", "first_name"),
    )

    @property
    def is_active_user(self) -> bool:
        return self.status == UserStatus.ACTIVE

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def name_for_display(self) -> str:
        return name_for_display(self.display_name, self.first_name, self.last_name, self.email)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserSession(Model):
    """One signed-in browser. The cookie holds a random key whose hash is stored here, so that
    signing out, changing the password or deleting the user ends sessions on the server."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class TokenPurpose(enum.StrEnum):
    ACTIVATION = "activation"
    PASSWORD_RESET = "password_reset"


class AccountToken(Model):
    """A link mailed to a user: activation or password reset. Only the SHA-256 of the token is kept."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Six digits shown in the activation email for information, as in the administrator's guide.
    confirmation_code: Mapped[str] = mapped_column(String(6), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    voided_at: Mapped[datetime | None] = mapped_column(default=None)  # a newer link replaced this one

    user: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint("purpose IN ('activation', 'password_reset')", name="purpose"),)
