"""Organization, Location, PhoneNumber and Package: what every user is attached to."""

from __future__ import annotations

import enum
import unicodedata
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow


class ActivationEmails(enum.StrEnum):
    """Whether activation emails leave when a user is created, or when an administrator sends them."""

    AUTOMATIC = "automatic"
    MANUAL = "manual"


def name_key(name: str) -> str:
    """An organization's name as two spellings of the same customer share it: compatibility forms, case and
    runs of spaces do not count ("ACME  Corp" is "Acme Corp")."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _name_key_default(context: DefaultExecutionContext) -> str:
    return name_key(context.get_current_parameters()["name"])


class Organization(Model):
    """A customer of the service provider."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # name_key(name), unique: one provider's customers are told apart by name (the CLI finds them by it).
    # Case folding can lengthen a name (ß is ss), hence the room.
    name_key: Mapped[str] = mapped_column(String(480), unique=True, default=_name_key_default)
    # "L'URL du site de votre entreprise", shown in the activation email.
    site_url: Mapped[str] = mapped_column(String(255), default="")
    activation_emails: Mapped[str] = mapped_column(String(16), default=ActivationEmails.AUTOMATIC.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    locations: Mapped[list[Location]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Location.name"
    )

    __table_args__ = (
        CheckConstraint("activation_emails IN ('automatic', 'manual')", name="activation_emails"),
    )

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"


class Package(Model):
    """A commercial package ("Webex Suite", "Webex Calling"): what a user is billed for."""

    __tablename__ = "packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))

    def __repr__(self) -> str:
        return f"<Package {self.code}>"


class Location(Model):
    """A site of an organization; it owns a pool of phone numbers and a time zone."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2: default region for parsing numbers
    time_zone: Mapped[str] = mapped_column(String(64))  # IANA name, e.g. Europe/Paris
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="locations")
    phone_numbers: Mapped[list[PhoneNumber]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="PhoneNumber.e164"
    )

    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    def __repr__(self) -> str:
        return f"<Location {self.id} {self.name!r}>"


class PhoneNumber(Model):
    """A number of a location's pool. Unique everywhere; held by at most one user (database constraint):
    ``number.user``, declared with ``User.phone_number`` (accounts' models import these, not the reverse)."""

    __tablename__ = "phone_numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"), index=True)
    e164: Mapped[str] = mapped_column(String(16), unique=True)
    # NULL = free. UNIQUE makes "a number can be assigned once" hold even between two servers racing.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True, default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    location: Mapped[Location] = relationship(back_populates="phone_numbers")

    __table_args__ = (
        CheckConstraint("e164 LIKE '+%'", name="e164_format"),
        # A user's number, found by the index of held numbers only (migration 0014). The unique constraint's
        # index also holds every free number, whose NULLs SQLite's ANALYZE counts as one value: a pool of
        # 10,000 free numbers reads as 10,000 numbers per user, and SQLite then scans the table for each
        # user it joins (the CSV export, the assistants of a routing question). This one has true figures.
        Index("ix_phone_numbers_held", "user_id", sqlite_where=text("user_id IS NOT NULL"),
              postgresql_where=text("user_id IS NOT NULL")),
    )

    @property
    def is_free(self) -> bool:
        return self.user_id is None

    def __repr__(self) -> str:
        return f"<PhoneNumber {self.e164}>"
