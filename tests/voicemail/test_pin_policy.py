"""The voicemail PIN rules, one failing and one passing example each (pure functions, no database)."""

from __future__ import annotations

import pytest

from userhub.voicemail.pin_policy import PinRule, check_pin

OWN = ["+33184883201", "01 84 88 32 01", "2201"]  # number (E.164 and national) and extension


@pytest.mark.parametrize(
    ("rule", "refused", "accepted"),
    [
        (PinRule.DIGITS_ONLY, "12a856", "128856"),
        (PinRule.DIGITS_ONLY, "１２８８５６", "128856"),  # full-width digits are not phone keys
        (PinRule.LENGTH, "12856", "128563"),  # 5 digits refused, 6 accepted
        (PinRule.LENGTH, "582049316729405813972640158392" + "7", "582049316729405813972640158392"),  # 31 / 30
        (PinRule.REPEATED_PATTERN, "121212", "121213"),
        (PinRule.REPEATED_PATTERN, "123123", "123124"),
        (PinRule.REPEATED_PATTERN, "13571357", "13571358"),
        (PinRule.REPEATED_DIGITS, "112222", "111222"),  # the reference's own example
        (PinRule.SEQUENCE, "123485", "123856"),  # 1234 refused, 123 allowed
        (PinRule.SEQUENCE, "954321", "954381"),  # 4321 descending
        (PinRule.OWN_NUMBER, "184883", "184882"),  # a piece of +33 1 84 88 32 01
        (PinRule.OWN_NUMBER, "10238848", "10238847"),  # the number reversed: 10 23 88 48 ...
        (PinRule.OWN_NUMBER, "902201", "902209"),  # contains the extension 2201
        (PinRule.OWN_NUMBER, "971022", "971029"),  # contains the extension reversed (1022)
    ],
)
def test_each_rule_refuses_an_example_and_accepts_a_close_one(rule: PinRule, refused: str, accepted: str) -> None:
    assert rule in check_pin(refused, OWN)
    assert check_pin(accepted, OWN) == []


def test_a_pin_used_before_is_refused_by_the_history_check() -> None:
    history = {"582049", "604918"}
    assert check_pin("582049", OWN, history.__contains__) == [PinRule.PREVIOUS]
    assert check_pin("582048", OWN, history.__contains__) == []


def test_every_broken_rule_is_listed_not_only_the_first() -> None:
    assert check_pin("11111111", OWN) == [PinRule.REPEATED_PATTERN, PinRule.REPEATED_DIGITS]
    assert check_pin("12345", OWN) == [PinRule.LENGTH]
    assert check_pin("x", OWN) == [PinRule.DIGITS_ONLY, PinRule.LENGTH]
    assert check_pin("12349058", ["12349058"], lambda pin: True) == [
        PinRule.SEQUENCE, PinRule.OWN_NUMBER, PinRule.PREVIOUS,
    ]


def test_a_short_extension_only_forbids_pins_inside_it_not_every_pin_containing_it() -> None:
    assert check_pin("901283", ["12"]) == []  # "12" inside is fine: too many PINs would be blocked


def test_without_number_or_history_a_good_pin_is_accepted() -> None:
    assert check_pin("582049") == []
