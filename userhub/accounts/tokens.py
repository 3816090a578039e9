"""Single-use links mailed to users (activation, password reset).

A token is 256 random bits; only its SHA-256 is stored, so a database dump reveals no usable link.
Issuing a new token of a purpose voids the older ones of that user.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ..extensions import db
from ..timeutil import utcnow
from .models import AccountToken, TokenPurpose, User


class TokenState(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    USED = "used"
    REPLACED = "replaced"
    INVALID = "invalid"  # unknown, tampered, or of a deleted user


@dataclass(frozen=True)
class IssuedToken:
    raw: str
    record: AccountToken


@dataclass(frozen=True)
class TokenCheck:
    state: TokenState
    token: AccountToken | None = None


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta, now: datetime | None = None) -> IssuedToken:
    """Create a token (added to the session, not committed) and void the user's older ones."""
    now = now or utcnow()
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose.value,
            AccountToken.used_at.is_(None),
            AccountToken.voided_at.is_(None),
        )
        .values(voided_at=now)
    )
    raw = secrets.token_urlsafe(32)
    record = AccountToken(
        user_id=user.id,
        purpose=purpose.value,
        token_hash=hash_token(raw),
        confirmation_code=f"{secrets.randbelow(1_000_000):06d}",
        created_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(record)
    return IssuedToken(raw=raw, record=record)


def check_token(raw: str, purpose: TokenPurpose, now: datetime | None = None) -> TokenCheck:
    """Say what state a link is in, without changing anything."""
    now = now or utcnow()
    if not raw or len(raw) > 100:
        return TokenCheck(TokenState.INVALID)
    token = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == hash_token(raw), AccountToken.purpose == purpose.value)
    )
    if token is None:
        return TokenCheck(TokenState.INVALID)
    if token.used_at is not None:
        return TokenCheck(TokenState.USED, token)
    if token.voided_at is not None:
        return TokenCheck(TokenState.REPLACED, token)
    if now > token.expires_at:
        return TokenCheck(TokenState.EXPIRED, token)
    return TokenCheck(TokenState.VALID, token)


def consume_token(token: AccountToken, now: datetime | None = None) -> bool:
    """Mark the token used. False if another request used it first (conditional UPDATE, race-safe)."""
    now = now or utcnow()
    result = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_at.is_(None), AccountToken.voided_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE/DELETE returns a CursorResult
