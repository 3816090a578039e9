"""Tables of the contacts area: speed dials (codes 00 to 99) and personal contacts with up to five numbers."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow

MAX_NUMBERS_PER_CONTACT = 5
DESCRIPTION_LENGTH = 80
NAME_LENGTH = 120


class NumberType(enum.StrEnum):
    WORK = "work"
    MOBILE = "mobile"
    HOME = "home"
    FAX = "fax"
    OTHER = "other"


class SpeedDial(Model):
    """A code the user dials instead of the whole number (BroadWorks "Speed Dial 100")."""

    __tablename__ = "speed_dials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code: Mapped[int] = mapped_column(SmallInteger)  # 0-99, shown with two digits
    number: Mapped[str | None] = mapped_column(String(16), default=None)  # E.164
    extension: Mapped[str | None] = mapped_column(String(10), default=None)  # of the user's organization
    description: Mapped[str] = mapped_column(String(DESCRIPTION_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "code"),
        CheckConstraint("code BETWEEN 0 AND 99", name="code"),
        CheckConstraint("(number IS NULL) <> (extension IS NULL)", name="number_or_extension"),
    )

    @property
    def code_text(self) -> str:
        return f"{self.code:02d}"


class Contact(Model):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    numbers: Mapped[list[ContactNumber]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactNumber.position",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint("name <> ''", name="name"),
        Index("ix_contacts_user_name", "user_id", "name"),
    )


class ContactNumber(Model):
    __tablename__ = "contact_numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    # Positions 0-4, unique per contact: the database itself keeps a contact to five numbers.
    position: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(10), default=NumberType.WORK.value)
    number: Mapped[str] = mapped_column(String(16))  # E.164

    contact: Mapped[Contact] = relationship(back_populates="numbers")

    __table_args__ = (
        UniqueConstraint("contact_id", "position"),
        CheckConstraint(f"position BETWEEN 0 AND {MAX_NUMBERS_PER_CONTACT - 1}", name="position"),
        CheckConstraint("kind IN ('work', 'mobile', 'home', 'fax', 'other')", name="kind"),
        Index("ix_contact_numbers_number", "number"),
    )
