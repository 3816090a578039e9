"""Email addresses: one normalised form, so that sign-in and uniqueness agree."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from ..errors import DomainError
from ..i18n import gettext as _


class InvalidEmail(DomainError, ValueError):
    """The address is refused; the message says why (the caller knows which field it came from)."""


def normalise_email(raw: str) -> str:
    """Check the syntax (no DNS lookup) and return the address in lower case."""
    raw = (raw or "").strip()
    if not raw:
        raise InvalidEmail(_("Enter an email address."))
    if len(raw) > 254:
        raise InvalidEmail(_("This email address is too long."))
    try:
        result = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(_("“%(address)s” is not a valid email address.", address=raw)) from exc
    return result.normalized.lower()
