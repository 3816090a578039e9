"""Set the voicemail PIN: checked against the rules, stored as an argon2 hash, the last ten remembered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from ..accounts.models import User
from ..errors import DomainError
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..phones import format_number
from ..security.hashing import hash_password, verify_password
from ..timeutil import utcnow
from .models import VoicemailPin
from .pin_policy import HISTORY_SIZE, MAX_LENGTH, MIN_LENGTH, PinRule, check_pin

RULE_MESSAGES = {
    PinRule.DIGITS_ONLY: _l("Use digits only."),
    PinRule.LENGTH: _l("Use %(low)s to %(high)s digits.", low=MIN_LENGTH, high=MAX_LENGTH),
    PinRule.REPEATED_PATTERN: _l("Do not repeat a pattern (such as 121212 or 123123)."),
    PinRule.REPEATED_DIGITS: _l("Do not use the same digit more than three times in a row."),
    PinRule.SEQUENCE: _l("Do not use more than three ascending or descending digits in a row (such as 1234)."),
    PinRule.OWN_NUMBER: _l("Do not use your phone number or extension, forwards or reversed."),
    PinRule.PREVIOUS: _l("Do not use one of your last ten access codes."),
}


class PinRefused(DomainError, ValueError):
    """Every rule the access code breaks, each message on the ``pin`` field."""

    def __init__(self, rules: list[PinRule]) -> None:
        super().__init__(fields={"pin": [RULE_MESSAGES[rule] for rule in rules]})
        self.rules = rules


def identifiers(user: User) -> list[str]:
    """The user's number in every form people type it, and their extension."""
    found = []
    if user.phone_number is not None:
        e164 = user.phone_number.e164
        found += [e164, format_number(e164, user.location.country if user.location else None)]
    if user.extension:
        found.append(user.extension)
    return found


def _history(user: User) -> list[VoicemailPin]:
    return list(db.session.scalars(
        select(VoicemailPin).where(VoicemailPin.user_id == user.id)
        .order_by(VoicemailPin.created_at.desc(), VoicemailPin.id.desc()).limit(HISTORY_SIZE)
    ))


def pin_set_at(user: User) -> datetime | None:
    history = _history(user)[:1]
    return history[0].created_at if history else None


def set_pin(user: User, pin: str) -> None:
    """Store a new PIN or raise ``PinRefused`` with every rule it breaks."""
    previous = _history(user)

    def used_before(candidate: str) -> bool:
        return any(verify_password(row.pin_hash, candidate) for row in previous)

    broken = check_pin(pin, identifiers(user), used_before)
    if broken:
        raise PinRefused(broken)
    db.session.add(VoicemailPin(user_id=user.id, pin_hash=hash_password(pin), created_at=utcnow()))
    db.session.flush()
    keep = [row.id for row in _history(user)]
    db.session.execute(delete(VoicemailPin).where(VoicemailPin.user_id == user.id, VoicemailPin.id.not_in(keep)))
