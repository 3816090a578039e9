"""Rules of the voicemail PIN ("code d'accès"), as pure functions (reference section 18a).

Every broken rule is returned, not only the first, so that the page can name them all at once.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

MIN_LENGTH, MAX_LENGTH = 6, 30
MAX_SAME_DIGIT_RUN = 3  # 111 is fine, 1111 is not
MAX_SEQUENCE_RUN = 3  # 123 is fine, 1234 (or 4321) is not
HISTORY_SIZE = 10
# A PIN "containing" a very short extension (2 or 3 digits) would block too many PINs; the PIN
# still may not be a piece of the number, nor equal to it.
MIN_IDENTIFIER_TO_CONTAIN = 4


class PinRule(enum.StrEnum):
    DIGITS_ONLY = "digits_only"
    LENGTH = "length"
    REPEATED_PATTERN = "repeated_pattern"
    REPEATED_DIGITS = "repeated_digits"
    SEQUENCE = "sequence"
    OWN_NUMBER = "own_number"
    PREVIOUS = "previous"


def has_repeated_pattern(pin: str) -> bool:
    """121212, 123123, 13571357: the PIN repeats a shorter block from start to end."""
    for period in range(1, len(pin) // 2 + 1):
        if all(pin[i] == pin[i - period] for i in range(period, len(pin))):
            return True
    return False


def longest_same_digit_run(pin: str) -> int:
    longest = run = 0
    for i, digit in enumerate(pin):
        run = run + 1 if i and digit == pin[i - 1] else 1
        longest = max(longest, run)
    return longest


def longest_sequence_run(pin: str) -> int:
    """Length of the longest run of consecutive ascending (1234) or descending (9876) digits."""
    longest = min(len(pin), 1)
    for step in (1, -1):
        run = 1
        for i in range(1, len(pin)):
            run = run + 1 if int(pin[i]) - int(pin[i - 1]) == step else 1
            longest = max(longest, run)
    return longest


def matches_identifier(pin: str, identifiers: Iterable[str]) -> bool:
    """The PIN is the user's number or extension, forwards or reversed, a piece of it, or contains it."""
    for identifier in identifiers:
        digits = "".join(c for c in identifier if c.isdigit())
        if not digits:
            continue
        for form in (digits, digits[::-1]):
            if pin in form or (len(form) >= MIN_IDENTIFIER_TO_CONTAIN and form in pin):
                return True
    return False


def check_pin(pin: str, identifiers: Iterable[str] = (), used_before: Callable[[str], bool] | None = None
              ) -> list[PinRule]:
    """The rules ``pin`` breaks, in the order they are listed to the user; empty when it is acceptable.

    ``identifiers``: the user's phone numbers (any format) and extension. ``used_before(pin)`` tells
    whether the PIN is one of the last ten (it compares hashes, so it is given by the caller).
    """
    broken: list[PinRule] = []
    if not pin.isascii() or not pin.isdigit():
        broken.append(PinRule.DIGITS_ONLY)
    if not MIN_LENGTH <= len(pin) <= MAX_LENGTH:
        broken.append(PinRule.LENGTH)
    if broken:  # the other rules speak about digits
        return broken
    if has_repeated_pattern(pin):
        broken.append(PinRule.REPEATED_PATTERN)
    if longest_same_digit_run(pin) > MAX_SAME_DIGIT_RUN:
        broken.append(PinRule.REPEATED_DIGITS)
    if longest_sequence_run(pin) > MAX_SEQUENCE_RUN:
        broken.append(PinRule.SEQUENCE)
    if matches_identifier(pin, identifiers):
        broken.append(PinRule.OWN_NUMBER)
    if used_before is not None and used_before(pin):
        broken.append(PinRule.PREVIOUS)
    return broken
