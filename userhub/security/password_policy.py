"""The password policy, checked on the server (the UI checklist only mirrors it).

STRENGTH is zxcvbn's score (>= 3: 1e8 + 5 guesses or more). PyPI's zxcvbn itself is unfit for user
input: ValueError above 72 characters; every substring looked up in every word list, again per l33t
table (736 tables when all l33t characters occur: 0.3 s for 20 characters, up to 30 s for 256);
an O(n^2) sequence search in Decimal; the user's details kept in a global shared by all requests.
We keep its model (word lists, guess estimates, search, thresholds) and its linear matchers, and:
1. `_compress` drops the continuation of every repeat of 8+ code points, in the text and in the
   steps between code points: `ab` * 128, `Password1!` * 25 (any period, cut anywhere), padding,
   long sequences (`abcdef...`, `aceg...`) shrink to about one period. Shorter ones are left to
   zxcvbn's repeat and sequence matches (a 7-character base repeated twice stays under 1e8).
2. The rest is scored in windows of at most 64 code points whose guesses multiply, stopping once
   the product makes a 4. A window edge may cut a match (overestimating a little), but text still
   that long after step 1 is far beyond 1e8 guesses.
3. `_dictionary_matches` walks the word lists once per start, stopping when no word has the prefix
   read so far and trying l33t readings on the way: all of zxcvbn's dictionary, reversed and l33t
   matches and a few more (more matches can only lower the estimate). `_optimal_guesses` is
   zxcvbn's search with the same result (tests compare), in floats, brute-force runs only after
   a match. CPU time: ~2 ms at 256 code points; ~11 ms for the hardest inputs found (digits).
Every 8-code-point password scores 2 (8 unknown characters = 1e8 guesses, just under the bar), so
STRENGTH asks for 9 in practice.
"""

from __future__ import annotations

import enum
import logging
import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import LazyString
from zxcvbn import matching, scoring, time_estimates

from ..i18n import lazy_gettext as _l

log = logging.getLogger(__name__)

MIN_LENGTH, MAX_LENGTH, MIN_SCORE = 8, 256, 3
SPECIAL_CHARACTERS = frozenset("~!@#$%^&*()-_=+[]{}|;:,.<>/?")
_MIN_PERSONAL = 3  # shorter name parts ("Al", "Li") would forbid too many passwords
_MIN_DROP = 8  # shorter repeats are left to the repeat matches: 7 characters twice is < 1e8
_WINDOW = 64  # the sequence search is O(n^2): 1 to 5 ms for 64 code points, 4x that for 128
_TOP = 1e10 + 5  # time_estimates.guesses_to_score's bar for a 4


class Rule(enum.StrEnum):
    """Stable codes, in checking order; the UI checklist uses the same values."""

    LENGTH = "length"
    DIGIT = "digit"
    UPPER = "upper"
    LOWER = "lower"
    SPECIAL = "special"
    PERSONAL = "personal"
    STRENGTH = "strength"


@dataclass(frozen=True)
class PersonalDetails:
    first_name: str = ""
    last_name: str = ""
    display_name: str = ""
    email: str = ""


def rule_messages() -> dict[Rule, LazyString]:
    """Checklist sentences; lazy, so each request renders them in its own language."""
    return {
        Rule.LENGTH: _l("Between 8 and 256 characters"),
        Rule.DIGIT: _l("At least 1 number"),
        Rule.UPPER: _l("At least 1 upper-case letter"),
        Rule.LOWER: _l("At least 1 lower-case letter"),
        Rule.SPECIAL: _l("At least 1 special character (~!@#$%^&*()-_=+[]{}|;:,.<>/?)"),
        Rule.PERSONAL: _l("Must not contain your name or your email address"),
        Rule.STRENGTH: _l(
            "Too easy to guess: avoid common words, names, dates, keyboard patterns and repetitions"
        ),
    }


def check_password(password: str, person: PersonalDetails) -> list[Rule]:
    """Return the rules the password breaks, in the order above; empty list = accepted."""
    password = unicodedata.normalize("NFC", password)  # "é" typed or pasted: one code point
    broken = set() if MIN_LENGTH <= len(password) <= MAX_LENGTH else {Rule.LENGTH}
    for rule, test in ((Rule.DIGIT, str.isdecimal), (Rule.UPPER, str.isupper),
                       (Rule.LOWER, str.islower), (Rule.SPECIAL, SPECIAL_CHARACTERS.__contains__)):
        if not any(map(test, password)):
            broken.add(rule)
    if len(password) <= MAX_LENGTH:  # longer input is refused anyway: spend nothing more on it
        parts, folded = _personal_parts(person), _fold(password)
        if any(part in folded for part in parts):
            broken.add(Rule.PERSONAL)
        try:
            score = strength_score(password, [person.email, *parts])
        except Exception:  # fail closed: a bug here must refuse the password, not answer 500
            log.exception("password strength estimate failed")
            score = 0
        if score < MIN_SCORE:
            broken.add(Rule.STRENGTH)
    return [rule for rule in Rule if rule in broken]


def strength_score(password: str, user_inputs: Sequence[str]) -> int:
    """zxcvbn's 0..4 score, in bounded time: only the first MAX_LENGTH code points count."""
    text = _compress(unicodedata.normalize("NFC", password)[:MAX_LENGTH])
    user: dict[str, int] = {}  # zxcvbn's ranking: the earlier the input, the likelier
    for rank, word in enumerate(filter(None, user_inputs), 1):
        user.setdefault(word.lower(), rank)
    size = math.ceil(len(text) / math.ceil(len(text) / _WINDOW)) if text else 1  # even windows
    guesses = 1.0
    for start in range(0, len(text), size):
        guesses *= _guesses(text[start:start + size], user)
        if guesses >= _TOP:  # already a 4, and more windows only multiply: skip them
            break
    return time_estimates.guesses_to_score(guesses)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def _personal_parts(person: PersonalDetails) -> list[str]:
    """Each detail whole and split on non-alphanumerics ("jane.doe" -> jane.doe, jane, doe)."""
    email = person.email or ""
    details = [person.first_name, person.last_name, person.display_name, email.rpartition("@")[0]]
    parts = []
    for value in (_fold(detail or "") for detail in details):
        parts += [value, *re.split(r"[\W_]+", value)]
    return sorted({part for part in parts if len(part) >= _MIN_PERSONAL})


def _tandems(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, i, end) for each adjacent repeat, left to right: text[start:end] is text[start:i]
    over and over, e.g. "abab" -> (0, 2, 4) and "Password1!Password1!Pass" -> (0, 10, 24)."""
    i = 0
    while i < len(text):
        size = 0  # longest text[i:i+size] that also starts somewhere before i, as in LZ77
        while i + size < len(text) and text.find(text[i:i + size + 1], 0, i + size) >= 0:
            size += 1
        while size and (start := text.rfind(text[i:i + size], max(0, i - size), i + size - 1)) < 0:
            size -= 1  # only a copy that touches i is a repeat, not a reused distant piece
        if size:
            yield start, i, i + size
        i += size or 1


_GREEDY = re.compile(r"(.+)\1+", re.S)
_LAZY = re.compile(r"(.+?)\1+", re.S)
_LAZY_ANCHORED = re.compile(r"^(.+?)\1+$", re.S)


def _regex_repeats(text: str) -> Iterator[tuple[int, int, int]]:
    """zxcvbn's own repeat matches (greedy and lazy), which the left-to-right scan of ``_tandems`` can miss
    when shorter repeats come first: "000100000100" is "000100" twice. Bounded: text is one window."""
    last = 0
    while last < len(text):
        greedy, lazy = _GREEDY.search(text, last), _LAZY.search(text, last)
        if greedy is None or lazy is None:
            return
        if len(greedy.group(0)) > len(lazy.group(0)):
            match, base = greedy, _LAZY_ANCHORED.match(greedy.group(0)).group(1)  # type: ignore[union-attr]
        else:
            match, base = lazy, lazy.group(1)
        yield match.start(), match.start() + len(base), match.end()
        last = match.end()


def _compress(text: str) -> str:
    """Drop the continuation of long repeats, of code points and of steps between them."""
    steps = "".join(chr((ord(b) - ord(a)) % 0x110000) for a, b in zip(text, text[1:], strict=False))
    drop = {k for _, i, end in _tandems(text) if end - i >= _MIN_DROP for k in range(i, end)}
    drop |= {k + 1 for _, i, end in _tandems(steps) if end - i >= _MIN_DROP for k in range(i, end)}
    return "".join(c for k, c in enumerate(text) if k not in drop)


def _load_words() -> tuple[dict[str, int], list[str], dict[str, tuple[str, ...]]]:
    ranks: dict[str, int] = {}  # a word in several lists counts with its best (lowest) rank
    for name, ranked in matching.RANKED_DICTIONARIES.items():
        for word, rank in ranked.items() if name != "user_inputs" else ():
            ranks[word] = min(rank, ranks.get(word, rank))
    readings: dict[str, tuple[str, ...]] = {}  # "1" -> ("1", "i", "l"): as typed, or as a letter
    for letter, subs in matching.L33T_TABLE.items():
        for sub in subs:
            readings[sub] = (*readings.get(sub, (sub,)), letter)
    return ranks, sorted(ranks), readings


_RANKS, _SORTED, _READINGS = _load_words()
_SHORT = frozenset(word[:size] for word in _RANKS for size in range(1, 5))  # 29k (all: 234k)


def _is_prefix(word: str) -> bool:
    if len(word) <= 4:
        return word in _SHORT
    k = bisect_left(_SORTED, word)
    return k < len(_SORTED) and _SORTED[k].startswith(word)


def _dictionary_matches(password: str, user: dict[str, int], reverse: bool) -> list[dict[str, Any]]:
    text = password[::-1] if reverse else password
    lower = "".join(c.lower()[0] for c in text)  # one code point each ("İ"), so indices hold
    user_prefixes = {word[:size] for word in user for size in range(1, len(word) + 1)}
    n, found = len(text), []
    for start in range(n):
        stack: list[tuple[int, str, dict[str, str]]] = [(start, "", {})]
        while stack:
            j, word, sub = stack.pop()
            char = lower[j]  # a l33t character reads the same way throughout one match
            for reading in (sub[char],) if char in sub else _READINGS.get(char, (char,)):
                word_j = word + reading
                if word_j not in user_prefixes and not _is_prefix(word_j):
                    continue
                sub_j = sub if char in sub or char not in _READINGS else {**sub, char: reading}
                if j + 1 < n:
                    stack.append((j + 1, word_j, sub_j))
                rank = min(_RANKS.get(word_j, math.inf), user.get(word_j, math.inf))
                if rank == math.inf:
                    continue
                used = {k: v for k, v in sub_j.items() if k != v}
                if used and j == start:  # zxcvbn: no 1-character l33t match
                    continue
                i, end = (n - 1 - j, n - 1 - start) if reverse else (start, j)
                found.append({"pattern": "dictionary", "i": i, "j": end,
                              "token": password[i:end + 1], "matched_word": word_j,
                              "rank": rank, "reversed": reverse, "l33t": bool(used), "sub": used})
    return found


def _guesses(text: str, user: dict[str, int]) -> float:
    """zxcvbn's guesses for a text of at most _WINDOW code points (more would be slow)."""
    found = _dictionary_matches(text, user, False) + _dictionary_matches(text, user, True)
    for matcher in (matching.spatial_match, matching.sequence_match, matching.regex_match,
                    matching.date_match):
        found += matcher(text)
    for start, i, end in sorted(set(_tandems(text)) | set(_regex_repeats(text))):
        found.append({"pattern": "repeat", "i": start, "j": end - 1, "token": text[start:end],
                      "base_guesses": Decimal(_guesses(text[start:i], user)),
                      "repeat_count": (end - start) / (i - start)})
    return _optimal_guesses(text, found)


def _optimal_guesses(text: str, found: list[dict[str, Any]]) -> float:
    """The minimum of scoring.most_guessable_match_sequence (see the module docstring)."""
    by_end: list[list[tuple[int, float, bool]]] = [[] for _ in text]
    for m in sorted(found, key=lambda m: m["i"]):  # zxcvbn's order, which ties depend on
        by_end[m["j"]].append((m["i"], float(scoring.estimate_guesses(m, text)), False))
    best: list[dict[int, tuple[float, float, bool]]] = [{} for _ in text]  # l -> (g, pi, brute)
    after_match = [0]  # where a brute-force run may start: 0, or just after a match
    for k in range(len(text)):
        here = best[k]
        for i, guesses, brute in by_end[k] + [(i, _BRUTE[k - i + 1], True) for i in after_match]:
            for length, (_, pi, before) in best[i - 1].items() if i else ((0, (0, 1.0, False)),):
                if brute and before:  # two brute-force runs in a row never win
                    continue
                pi *= guesses
                g = _FACTORIAL[length + 1] * pi + _GROWTH[length]
                for size, (other, _, _) in here.items():
                    if size <= length + 1 and other <= g:
                        break  # as good with no more matches
                else:
                    here[length + 1] = (g, pi, brute)
        if not all(brute for _, _, brute in here.values()):
            after_match.append(k + 1)
    return min(g for g, _, _ in best[-1].values()) if text else 1.0


_BRUTE = [1.0, 11.0] + [10.0**size for size in range(2, _WINDOW + 1)]  # as bruteforce_guesses
_FACTORIAL = [float(math.factorial(size)) for size in range(_WINDOW + 2)]
_GROWTH = [1e4**size for size in range(_WINDOW + 1)]  # MIN_GUESSES_BEFORE_GROWING_SEQUENCE ** l
