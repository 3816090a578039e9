"""Phone numbers: parsed with phonenumbers, stored in E.164, shown in the reader's format."""

from __future__ import annotations

from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat


class InvalidPhoneNumber(ValueError):
    """The text is not a valid phone number for the given region."""


def parse_number(text: str, default_region: str | None) -> str:
    """Return the E.164 form of a number typed as ``+33 6 34 33 32 11``, ``06 34 33 32 11``, ``0634333211``..."""
    cleaned = (text or "").strip()
    if not cleaned or len(cleaned) > 40:
        raise InvalidPhoneNumber(cleaned)
    try:
        number = phonenumbers.parse(cleaned, (default_region or "").upper() or None)
    except NumberParseException as exc:
        raise InvalidPhoneNumber(cleaned) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(cleaned)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def format_number(e164: str | None, reader_region: str | None = None) -> str:
    """National format for a reader in the number's own country, international otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    same_country = reader_region and phonenumbers.region_code_for_number(number) == reader_region.upper()
    style = PhoneNumberFormat.NATIONAL if same_country else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def number_range(first: str, last: str, default_region: str | None, limit: int = 10_000) -> list[str]:
    """Every number from ``first`` to ``last`` inclusive (same country code and length), in E.164."""
    start, end = parse_number(first, default_region), parse_number(last, default_region)
    if len(start) != len(end) or start[:3] != end[:3]:
        raise InvalidPhoneNumber(f"{first} - {last}")
    low, high = int(start[1:]), int(end[1:])
    if high < low or high - low >= limit:
        raise InvalidPhoneNumber(f"{first} - {last}")
    width = len(start) - 1
    return [f"+{value:0{width}d}" for value in range(low, high + 1)]


def is_extension(text: str) -> bool:
    """An internal extension has 2 to 10 ASCII digits (reference 23c); the one place this rule is written."""
    return text.isascii() and text.isdigit() and 2 <= len(text) <= 10


def region_of(person: Any) -> str | None:
    """The country a person reads numbers in (national format for theirs): their location's, if any."""
    return person.location.country if person.location is not None else None
