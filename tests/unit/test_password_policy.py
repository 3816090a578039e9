"""The password policy: each rule refusing and accepting, its boundaries, and its time limits."""

from __future__ import annotations

import copy
import logging
import random
import string
import time
import unicodedata

import pytest
from flask import Flask
from flask_babel import Babel, LazyString
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from zxcvbn import matching, scoring, zxcvbn

from userhub.security import password_policy as policy
from userhub.security.password_policy import (
    PersonalDetails,
    Rule,
    check_password,
    rule_messages,
    strength_score,
)

NOBODY = PersonalDetails()
JANE = PersonalDetails(
    first_name="Jane", last_name="Doe", display_name="Jane Doe", email="jane.doe@example.com"
)
STRONG = "Violet-Harbour-Kettle-93!"
CLASSES = [Rule.DIGIT, Rule.UPPER, Rule.LOWER, Rule.SPECIAL]
SPECIALS = "~!@#$%^&*()-_=+[]{}|;:,.<>/?"
KEYBOARD = string.ascii_letters + string.digits + SPECIALS
# Each scores 0 to 2 with zxcvbn on its own.
WEAK = ["Password1!", "P@ssw0rd", "ab", "a", "qwerty", "letmein", "iloveyou", "12345678", "abc123",
        "Summer2024!", "Passw0rd!", "Monkey12#", "1qaz2wsx", "zaq1@WSX", "Welcome1!", "Xk9#mQ2$",
        "correcthorse", "Dragon!!", "asdfghjkl;", "Jennifer2008"]
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=300)  # surrogates included


def random_strong(length: int, seed: int) -> str:
    """A random password drawn from the whole keyboard, with every character class present."""
    rnd = random.Random(seed)
    chars = [rnd.choice(string.ascii_uppercase), rnd.choice(string.ascii_lowercase),
             rnd.choice(string.digits), rnd.choice(SPECIALS)]
    chars += [rnd.choice(KEYBOARD) for _ in range(length - len(chars))]
    rnd.shuffle(chars)
    return "".join(chars)


def best_of_three(password: str) -> float:
    """Seconds for check_password, the fastest of three runs (other processes share the CPU)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        check_password(password, JANE)
        times.append(time.perf_counter() - started)
    return min(times)


# --- each rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "person", "expected"),
    [
        (STRONG, JANE, []),
        (random_strong(257, seed=1), NOBODY, [Rule.LENGTH]),
        (random_strong(256, seed=1), NOBODY, []),
        ("Violet-Harbour-Kettle!", NOBODY, [Rule.DIGIT]),
        ("violet-harbour-kettle-93!", NOBODY, [Rule.UPPER]),
        ("VIOLET-HARBOUR-KETTLE-93!", NOBODY, [Rule.LOWER]),
        ("VioletHarbourKettle93", NOBODY, [Rule.SPECIAL]),
        ("Violet Harbour Kettle 93", NOBODY, [Rule.SPECIAL]),  # a space is not in the list
        ("VioletHarbourKettle93€", NOBODY, [Rule.SPECIAL]),  # nor is €
        ("Violet-Jane-Kettle-93!", JANE, [Rule.PERSONAL]),
        ("Violet-Jane-Kettle-93!", NOBODY, []),
        ("Password1!", NOBODY, [Rule.STRENGTH]),
        ("P@ssw0rd", NOBODY, [Rule.STRENGTH]),
    ],
)
def test_each_rule_refuses_and_accepts(password: str, person: PersonalDetails, expected: list[Rule]):
    assert check_password(password, person) == expected


def test_empty_password_breaks_every_cheap_rule_and_strength():
    assert check_password("", JANE) == [Rule.LENGTH, *CLASSES, Rule.STRENGTH]


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (7, [Rule.LENGTH, Rule.STRENGTH]),
        # zxcvbn prices 8 unknown characters at 1e8 guesses, just under its bar for a 3: every
        # 8-character password is refused as too weak; 9 is the practical minimum.
        (8, [Rule.STRENGTH]),
        (9, []),
        (256, []),
        (257, [Rule.LENGTH]),
    ],
)
def test_length_boundaries(length: int, expected: list[Rule]):
    assert check_password(random_strong(length, seed=length), NOBODY) == expected


@settings(max_examples=200)
# 8 code points as the policy counts them, after NFC: some characters decompose (U+1D15E becomes two)
@given(st.text(st.characters(exclude_categories=()), min_size=8, max_size=8)
       .filter(lambda text: len(unicodedata.normalize("NFC", text)) <= 8))
def test_no_password_of_8_code_points_is_strong_enough(password: str):
    assert strength_score(password, []) < policy.MIN_SCORE


def test_length_is_counted_in_code_points_after_nfc():
    decomposed = "Ab1!xyz" + "e\u0301"  # 9 code points as typed, 8 once "é" is composed
    assert len(decomposed) == 9
    assert Rule.LENGTH not in check_password(decomposed, NOBODY)
    assert Rule.LENGTH in check_password(decomposed[1:], NOBODY)  # 7 once composed


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Éclair-ström-93!", []),  # É is the only upper-case letter
        ("éclair-ström-93!", [Rule.UPPER]),
        ("ÉCLAIR-STRAßE-93!", []),  # ß is the only lower-case letter
        ("ÉCLAIR-STRASSE-93!", [Rule.LOWER]),
        ("ωμέγα-93!Ω", []),  # Greek both ways
        ("Violet-Harbour-Kettle-٣!", []),  # ARABIC-INDIC DIGIT THREE is a decimal digit
        ("Violet-Harbour-Kettle-³!", [Rule.DIGIT]),  # SUPERSCRIPT THREE is not
    ],
)
def test_unicode_letters_and_digits_count(password: str, expected: list[Rule]):
    assert check_password(password, NOBODY) == expected


def test_emoji_count_one_code_point_each():
    eight = "😀😁😂🤣😃😄😅😆"
    assert len(eight) == 8
    assert Rule.LENGTH not in check_password(eight, NOBODY)
    assert Rule.LENGTH in check_password(eight[:7], NOBODY)
    # Nine different emoji are as hard to guess as nine random characters, but not the classes.
    assert check_password(eight + "😉", NOBODY) == CLASSES
    assert check_password("Aa1!" + eight + "😉", NOBODY) == []
    assert check_password("Aa1!" + "😀" * 9, NOBODY) == [Rule.STRENGTH]
    # Code points, not what the eye sees: WOMAN + ZERO WIDTH JOINER + LAPTOP is three.
    assert Rule.LENGTH in check_password("Aa1!👩\u200d💻", NOBODY)
    assert Rule.LENGTH not in check_password("Aa1!👩\u200d💻x", NOBODY)


# --- personal details ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["Violet-jANE-Kettle-93!", "Violet-DOE-Kettle-93!", "Kettle-jane.doe-93!", "JANEDOE-Kettle-93!"],
)
def test_name_or_email_in_any_case_is_refused(password: str):
    assert Rule.PERSONAL in check_password(password, JANE)


@pytest.mark.parametrize(
    ("person", "password", "refused"),
    [
        (PersonalDetails(email="jo.smithers@example.com"), "Violet-SMITHERS-93!", True),
        (PersonalDetails(email="jo.smithers@example.com"), "Violet-Example-93!", False),  # domain
        (PersonalDetails(first_name="Al", last_name="Li", email="al@example.com"),
         "Al-Li-Harbour-Kettle-93!", False),  # parts under 3 characters are ignored
        (PersonalDetails(display_name="Marie-Claire Dubois"), "Violet-claire-93!", True),
        (PersonalDetails(last_name="Straße"), "Violet-STRASSE-93!", True),  # casefold
        (PersonalDetails(first_name="José"), "Violet-JOSE\u0301-93!", True),  # NFC
        (PersonalDetails(first_name="Jane"), "Violet-Harbour-Kettle-93!", False),
    ],
)
def test_personal_details_are_matched_by_part(person: PersonalDetails, password: str, refused: bool):
    assert (Rule.PERSONAL in check_password(password, person)) is refused


def test_jane_doe_is_refused_for_jane_although_zxcvbn_alone_scores_it_3():
    assert zxcvbn("Jane.Doe1!")["score"] == 3
    assert strength_score("Jane.Doe1!", []) == 3
    assert strength_score("Jane.Doe1!", ["Jane", "Doe", "jane.doe"]) < 3  # details as user_inputs
    assert check_password("Jane.Doe1!", JANE) == [Rule.PERSONAL, Rule.STRENGTH]


# --- long input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [257, 10_000])
def test_over_256_nothing_expensive_runs(monkeypatch: pytest.MonkeyPatch, length: int):
    calls: list[object] = []
    monkeypatch.setattr(policy, "strength_score", lambda *args: calls.append(args) or 4)
    assert check_password(random_strong(length, seed=2), JANE) == [Rule.LENGTH]
    assert check_password("x" * length, JANE) == [Rule.LENGTH, Rule.DIGIT, Rule.UPPER, Rule.SPECIAL]
    assert calls == []
    check_password(random_strong(256, seed=2), JANE)  # the double does get called below the limit
    assert len(calls) == 1


def test_ten_thousand_characters_return_at_once():
    assert best_of_three(random_strong(10_000, seed=3)) < 0.02


@pytest.mark.parametrize(
    "password",
    [
        "Password1!" * 25,
        ("Password1!" * 26)[:256],  # period 10, cut anywhere
        "ab" * 128,
        "P@ssw0rd" * 32,
        "Summer2024!" * 23,
        "password" + "!" * 248,  # a word padded with one character
        "!" * 248 + "Password",
        "Aa1!" + "x" * 252,
        "qwertyuiop" * 25,  # keyboard walks
        ("1qaz2wsx3edc" * 22)[:256],
        ("abcdefghijklmnopqrstuvwxyz" * 10)[:256],  # sequences
        "".join(chr(0x100 + k) for k in range(256)),  # 256 consecutive code points
        "".join(chr(0x41 + 2 * (k % 26)) for k in range(256)),  # ACEG... repeated
        ("0123456789" * 26)[:256],
    ],
)
def test_long_predictable_passwords_are_refused(password: str):
    assert len(password) <= 256
    assert Rule.STRENGTH in check_password(password, NOBODY)


@settings(max_examples=60, deadline=None)
@given(st.integers(12, 256), st.integers(0, 2**32))
def test_random_passwords_of_any_length_are_accepted(length: int, seed: int):
    # NOBODY: about 1 in 400 random 200-character passwords holds "doe" somewhere, which JANE
    # may not use (PERSONAL, tested above).
    assert check_password(random_strong(length, seed), NOBODY) == []


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(WEAK), st.integers(1, 256))
def test_weak_password_repeated_k_times_is_refused(weak: str, k: int):
    assume(len(weak) * k <= 256)
    assert Rule.STRENGTH in check_password(weak * k, NOBODY)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(WEAK), st.data())
def test_weak_password_repeated_and_cut_anywhere_is_refused(weak: str, data: st.DataObject):
    # From two whole copies on, whatever the cut; "Password1!Passw" is zxcvbn's 3 (a word added).
    length = data.draw(st.integers(min(2 * len(weak), 256), 256))
    assert Rule.STRENGTH in check_password((weak * 256)[:length], NOBODY)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
# Bases of at most 7 code points: an 8-character base just under the bar doubled can pass it, for zxcvbn too
# ("10020:11" scores 2, "10020:1110020:11" scores 3 in zxcvbn 4.5.0).
@given(st.text(st.characters(max_codepoint=0x17F), min_size=1, max_size=7), st.data())
def test_any_weak_text_repeated_stays_weak(weak: str, data: st.DataObject):
    assume(strength_score(weak, []) < policy.MIN_SCORE)
    length = data.draw(st.integers(min(2 * len(weak), 256), 256))
    assert strength_score((weak * 256)[:length], []) < policy.MIN_SCORE


# --- robustness ---------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, st.builds(PersonalDetails, ANY_TEXT, ANY_TEXT, ANY_TEXT, ANY_TEXT))
@example("\ud800\udfff\x00\u202eA1!", JANE)  # lone surrogates, NUL, right-to-left override
@example("e" + "\u0301" * 300, JANE)  # combining marks
@example("İ" * 40 + "1!", PersonalDetails(first_name="İİİ"))  # lower() makes 2 code points
def test_no_exception_escapes_for_any_text(password: str, person: PersonalDetails):
    result = check_password(password, person)
    assert result == [rule for rule in Rule if rule in result]  # known rules, in order, once
    assert 0 <= strength_score(password, [person.first_name, person.email]) <= 4


def test_a_failure_inside_the_estimate_refuses_instead_of_raising(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    def broken(*args: object) -> float:
        raise RuntimeError("boom")

    monkeypatch.setattr(policy, "_guesses", broken)
    with caplog.at_level(logging.ERROR, logger=policy.__name__):
        assert check_password(STRONG, JANE) == [Rule.STRENGTH]
    assert "password strength estimate failed" in caplog.text


def test_zxcvbn_global_user_inputs_are_left_alone():
    """zxcvbn() keeps user_inputs in a module global; requests in parallel must not share it."""
    before = matching.RANKED_DICTIONARIES.get("user_inputs")
    check_password("Jane.Doe1!", JANE)
    assert matching.RANKED_DICTIONARIES.get("user_inputs") is before


# --- faithful to zxcvbn -------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("aeiostrnPW0134!@$|_-. qwerzxc2019"), min_size=1, max_size=24))
def test_sequence_search_matches_zxcvbn(text: str):
    found = policy._dictionary_matches(text, {}, False) + policy._dictionary_matches(text, {}, True)
    for matcher in (matching.spatial_match, matching.sequence_match, matching.regex_match,
                    matching.date_match):
        found += matcher(text)
    ours = policy._optimal_guesses(text, copy.deepcopy(found))
    theirs = float(scoring.most_guessable_match_sequence(text, copy.deepcopy(found))["guesses"])
    assert ours == pytest.approx(theirs, rel=1e-9)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.text(st.sampled_from("aeiostrnPW0134!@$_-. qwerzxc2019"), min_size=1, max_size=16))
def test_never_more_lenient_than_zxcvbn(text: str):
    assert strength_score(text, []) <= zxcvbn(text)["score"]


def test_dictionary_matches_include_zxcvbns_l33t_matches():
    ours = {(m["i"], m["j"], m["matched_word"]) for m in policy._dictionary_matches("P@ssw0rd", {}, False)}
    assert (0, 7, "password") in ours
    assert zxcvbn("P@ssw0rd")["sequence"][0]["matched_word"] == "password"


# --- time ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        random_strong(256, seed=4),
        "Password1!" * 25,
        "password" + "!" * 248,
        "".join(random.Random(5).sample("!$%(+0123456789<@[{|" * 13, 256)),  # every l33t character
        "".join(random.Random(6).choice("0123456789") for _ in range(256)),
        "Violet-Harbour-Kettle-93!" * 10,
    ],
)
def test_256_characters_take_milliseconds(password: str):
    assert best_of_three(password) < 0.1  # the benchmark holds the 30 ms goal; this catches seconds


def test_l33t_heavy_short_password_is_fast():
    """zxcvbn tries 736 l33t tables for these 20 characters: about 0.3 s."""
    assert best_of_three("!$%(+0123456789<@[{|") < 0.02


# --- messages -----------------------------------------------------------------------------------


def test_rule_messages_are_lazy_english_sentences_for_every_rule():
    app = Flask(__name__)
    Babel(app)
    messages = rule_messages()  # outside any request: nothing is translated yet
    assert list(messages) == list(Rule)
    assert all(isinstance(message, LazyString) for message in messages.values())
    with app.test_request_context():
        assert {rule.value: str(message) for rule, message in messages.items()} == {
            "length": "Between 8 and 256 characters",
            "digit": "At least 1 number",
            "upper": "At least 1 upper-case letter",
            "lower": "At least 1 lower-case letter",
            "special": "At least 1 special character (~!@#$%^&*()-_=+[]{}|;:,.<>/?)",
            "personal": "Must not contain your name or your email address",
            "strength": "Too easy to guess: avoid common words, names, dates, keyboard patterns "
            "and repetitions",
        }


def test_rule_codes_are_stable():
    assert [rule.value for rule in Rule] == [
        "length", "digit", "upper", "lower", "special", "personal", "strength"]


# --- the repetition scan ------------------------------------------------------------------------


def _runs_by_brute_force(text: str) -> set[tuple[int, int, int]]:
    """Every maximal repeat (start, start + p, end), p its smallest period: the definition."""
    runs = set()
    for start in range(len(text)):
        for end in range(start + 2, len(text) + 1):
            piece = text[start:end]
            p = next(p for p in range(1, len(piece) + 1)
                     if all(piece[k] == piece[k + p] for k in range(len(piece) - p)))
            if 2 * p > len(piece):
                continue
            left = start > 0 and text[start - 1] == text[start - 1 + p]
            right = end < len(text) and text[end] == text[end - p]
            if not left and not right:
                runs.add((start, start + p, end))
    return runs


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("aab0!"), max_size=24))
@example("000100000100")
@example("abcabcXabcabcabc")
def test_the_repetition_scan_finds_every_maximal_repeat(text: str):
    assert set(policy._tandems(text)) == _runs_by_brute_force(text)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("abc1"), max_size=40))
def test_mirrors_are_the_longest_palindromes(text: str):
    for middle, end in policy._mirrors(text):
        half = end - middle
        assert half >= policy._MIN_DROP
        start = middle - half if text[middle - half:middle] == text[middle:end][::-1] else middle - half - 1
        assert text[start:end] == text[start:end][::-1]  # a palindrome (odd or even)


def _square_free(length: int) -> str:
    """Thue's ternary word (differences of the Thue-Morse word): no two equal neighbours, no square."""
    thue_morse = [bin(k).count("1") % 2 for k in range(length + 1)]
    return "".join("abc"[thue_morse[k + 1] - thue_morse[k] + 1] for k in range(length))


def test_square_free_text_has_no_repeat_and_is_quick():
    text = _square_free(256)
    assert list(policy._tandems(text)) == []
    assert best_of_three("A1!" + text[3:]) < 0.1  # the benchmark holds the 5 ms goal
