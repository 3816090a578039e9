"""Tables of the SIP area (imported by userhub.models so that Alembic sees them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import Model
from ..timeutil import utcnow


class SipServer(Model):
    """A SIP proxy allowed to ask for call decisions. Its credential is 256 random bits shown once; only
    the SHA-256 is stored (a random secret of that size needs no slow hash), so a dump reveals nothing usable."""

    __tablename__ = "sip_servers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(default=None)


class SipAccount(Model):
    """A person's SIP identity: the user name their phones register with and the digest hashes of their
    SIP password. HA1 = md5(user:realm:password) is what digest authentication needs (RFC 2617); the
    password itself is never stored. ``ha1b`` = md5(user@realm:realm:password), for phones that send the
    user with the domain."""

    __tablename__ = "sip_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    sip_user: Mapped[str] = mapped_column(String(64), unique=True)
    realm: Mapped[str] = mapped_column(String(128))
    ha1: Mapped[str] = mapped_column(String(32), default="")
    ha1b: Mapped[str] = mapped_column(String(32), default="")
    password_set_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship()
