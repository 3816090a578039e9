"""The password policy, checked on the server (the UI checklist only mirrors it).

STRENGTH is zxcvbn's score (>= 3: 1e8 + 5 guesses or more). PyPI's zxcvbn itself is unfit for user
input: ValueError above 72 characters; every substring looked up in every word list, again per l33t
table (736 tables when all l33t characters occur: 0.3 s for 20 characters, up to 30 s for 256);
an O(n^2) sequence search in Decimal; the user's details kept in a global shared by all requests;
English lists only ("Soleil2024!" and "Mot2passe!" score 3).
We keep its model (word lists, guess estimates, search, thresholds) and its linear matchers, and:
1. `_compress` drops the continuation of every repeat of 8+ code points, in the text, in the
   steps between code points and in the text's shape (digit runs, separators and case left out),
   and the way back of mirrors: `ab` * 128, `Password1!` * 25 (any period, cut anywhere),
   padding, long sequences (`abcdef...`, `aceg...`), a counter (`Password1!Password2!...`), a
   changing separator, a keyboard walk back and forth shrink to about one unit, which is then
   scored: a long password is as weak as the unit it repeats with variations. Shorter repeats are
   left to zxcvbn's repeat and sequence matches (a 7-character base twice stays under 1e8). The
   repeats are found by `_tandems` (Main-Lorentz sampling, O(n log n)), mirrors by Manacher (O(n)).
2. The rest is scored in windows of at most 32 code points whose guesses multiply, stopping once
   the product makes a 4. A window edge may cut a match (overestimating a little), but a text
   still that long after step 1 needs 3 matches or more, which zxcvbn already prices at 1e8+.
3. `_dictionary_matches` walks the word lists once per start, stopping when no word has the prefix
   read so far and trying l33t readings on the way: all of zxcvbn's dictionary, reversed and l33t
   matches and a few more (more matches can only lower the estimate). The lists are zxcvbn's and
   French ones (common French passwords shipped in data/, French words, first names and surnames
   from wordfreq), read on the first check; the organization's and site's names count as user
   inputs. `_optimal_guesses` is zxcvbn's search with the same result (tests compare), in floats,
   brute-force runs only after a match, sequences that already cost a 4 dropped.
   CPU time: 2 to 4 ms at 256 code points, the hardest inputs found included (bench/).
Every 8-code-point password scores 2 (8 unknown characters = 1e8 guesses, just under the bar), so
STRENGTH asks for 9 in practice.
"""

from __future__ import annotations

import enum
import functools
import gzip
import logging
import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from flask_babel import LazyString
from zxcvbn import matching, scoring, time_estimates

from ..i18n import lazy_gettext as _l

log = logging.getLogger(__name__)

MIN_LENGTH, MAX_LENGTH, MIN_SCORE = 8, 256, 3
SPECIAL_CHARACTERS = frozenset("~!@#$%^&*()-_=+[]{}|;:,.<>/?")
_MIN_PERSONAL = 3  # shorter name parts ("Al", "Li") would forbid too many passwords
_MIN_DROP = 8  # shorter repeats are left to the repeat matches: 7 characters twice is < 1e8
_WINDOW = 32  # the matchers (dates, l33t words) cost 2 to 8 ms on 64 code points; see the docstring
_FRENCH_WORDS = 30_000  # as many as zxcvbn's English Wikipedia list
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
    # Not the person's own, so not refused outright (PERSONAL), but the first words an attacker
    # tries: they count as zxcvbn user inputs (the strength estimate).
    organization: str = ""
    site: str = ""


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
            score = strength_score(password, [person.email, *parts, *_place_parts(person)])
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
        guesses *= _guesses(text[start:start + size], user, _TOP)
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


def _place_parts(person: PersonalDetails) -> list[str]:
    """The organization's and site's names, whole, squeezed ("Acme Lyon" -> acmelyon) and by word."""
    parts = []
    for value in (_fold(person.organization or ""), _fold(person.site or "")):
        words = [word for word in re.split(r"[\W_]+", value) if word]
        parts += [value, "".join(words), *words]
    parts += [_unaccented(part) for part in parts]  # "Plouzané" is typed "plouzane" too
    return sorted({part for part in parts if len(part) >= _MIN_PERSONAL})


def _tandems(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, start + p, end) for each run: text[start:end] is text[start:start+p] over and over,
    at least twice, and cannot be extended either way ("abab" -> (0, 2, 4), "Password1!Password1!Pass"
    -> (0, 10, 24)); period p is the smallest such, non-primitive periods are not listed again.

    Near-linear (Main-Lorentz's sampling): a run of period p and length >= 2p covers two positions
    j and j + p with j a multiple of p, so comparing text[j:] with text[j+p:] forward and backward
    at those samples only (n/1 + n/2 + ... + n/(n/2) = O(n log n) samples) finds every run; each
    comparison is done on slices (C memcmp) by doubling then halving, and samples inside a run
    already found for that period are skipped. 256 square-free code points: ~0.5 ms instead of 5."""
    n, found = len(text), list[tuple[int, int, int]]()
    for p in range(1, n // 2 + 1):
        j = p
        while j + p <= n:
            if (j + p == n or text[j] != text[j + p]) and text[j - 1] != text[j + p - 1]:
                j += p  # the usual case, tested here to spare two calls
                continue
            forward = _common_length(text, j, j + p, n - j - p)
            backward = _common_suffix(text, j, j + p, j)
            start, end = j - backward, j + p + forward
            if end - start >= 2 * p and not any(
                    p % q == 0 and s0 <= start and end <= e0 for s0, q, e0 in found):
                found.append((start, p, end))
            j = max(j + p, (end - p) // p * p + p) if end - start >= 2 * p else j + p
    for start, p, end in sorted(found):
        yield start, start + p, end


def _common_length(text: str, a: int, b: int, limit: int) -> int:
    """The longest L <= limit with text[a:a+L] == text[b:b+L]."""
    if limit <= 0 or text[a] != text[b]:
        return 0
    low, size = 1, 2  # text[a:a+low] equal; double while equal, then halve
    while size <= limit and text[a:a + size] == text[b:b + size]:
        low, size = size, size * 2
    high = min(size, limit + 1)  # first length known (or assumed) unequal
    while high - low > 1:
        middle = (low + high) // 2
        if text[a:a + middle] == text[b:b + middle]:
            low = middle
        else:
            high = middle
    return low


def _common_suffix(text: str, a: int, b: int, limit: int) -> int:
    """The longest L <= limit with text[a-L:a] == text[b-L:b]."""
    if limit <= 0 or text[a - 1] != text[b - 1]:
        return 0
    low, size = 1, 2
    while size <= limit and text[a - size:a] == text[b - size:b]:
        low, size = size, size * 2
    high = min(size, limit + 1)
    while high - low > 1:
        middle = (low + high) // 2
        if text[a - middle:a] == text[b - middle:b]:
            low = middle
        else:
            high = middle
    return low


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
    """Drop the continuation of long repeats: of code points, of the steps between them, and of
    the text's shape, where the changes people make from one copy to the next do not count (a
    counter, another separator, other case): "Password1!Password2!Password3!" is "Password1!"."""
    steps = "".join(chr((ord(b) - ord(a)) % 0x110000) for a, b in zip(text, text[1:], strict=False))
    shape, spans = _shape(text)
    drop = _cover((i, end) for _, i, end in _tandems(text) if end - i >= _MIN_DROP)
    drop += _cover((i + 1, end + 1) for _, i, end in _tandems(steps) if end - i >= _MIN_DROP)
    for i, end in _cover([(i, end) for _, i, end in _tandems(shape) if end - i >= _MIN_DROP]
                         + [(i, end) for i, end in _mirrors(shape) if end - i >= _MIN_DROP]):
        drop.append((spans[i][0], spans[end - 1][1]))
    kept, last = [], 0
    for i, end in _cover(drop):
        kept.append(text[last:i])
        last = end
    return "".join(kept) + text[last:]


def _cover(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of [i, end) spans as disjoint sorted spans: repeats and mirrors can nest by the
    hundred ("!" * 248 holds a mirror at every position), their union stays linear."""
    merged: list[tuple[int, int]] = []
    for i, end in sorted(spans):
        if merged and i <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((i, end))
    return merged


def _mirrors(text: str) -> Iterator[tuple[int, int]]:
    """(middle, end) for each longest palindrome: text[middle:end] is the way back, mirroring what
    comes before the middle (the middle character of an odd palindrome belongs to neither).
    Manacher's algorithm, linear."""
    padded = "\0" + "\0".join(text) + "\0"  # even and odd alike; padding only meets padding
    radius, center, right = [0] * len(padded), 0, 0
    for k in range(len(padded)):
        r = min(right - k, radius[2 * center - k]) if k < right else 0
        while k - r - 1 >= 0 and k + r + 1 < len(padded) and padded[k - r - 1] == padded[k + r + 1]:
            r += 1
        radius[k] = r
        if k + r > right:
            center, right = k, k + r
        if r >= 2 * _MIN_DROP:  # a way back of _MIN_DROP code points or more
            yield (k + 1) // 2, (k + r) // 2


def _shape(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text in lower case, each run of digits as "0" and each keyboard special character as "!",
    and the span of text each shape character stands for."""
    shape, spans = [], []
    for match in _SHAPE.finditer(text):
        piece = match.group()
        shape.append("0" if piece[0].isdecimal() else "!" if piece in _SEPARATORS else piece.lower()[0])
        spans.append(match.span())
    return "".join(shape), spans


_SHAPE = re.compile(r"\d+|.", re.S)
_SEPARATORS = SPECIAL_CHARACTERS | {" "}


def load_word_lists() -> None:
    """Read the word lists now (production warm-up) rather than on the first check."""
    _words()


@functools.cache
def _words() -> tuple[dict[str, int], list[str], dict[str, tuple[str, ...]], frozenset[str]]:
    """zxcvbn's ranked word lists and French ones (common French passwords, then French words,
    first names and surnames), read once, on the first check rather than at import."""
    ranked = {name: words for name, words in matching.RANKED_DICTIONARIES.items()
              if name != "user_inputs"}
    ranked.update(_french_lists())
    ranks: dict[str, int] = {}  # a word in several lists counts with its best (lowest) rank
    for words in ranked.values():
        for word, rank in words.items():
            ranks[word] = min(rank, ranks.get(word, rank))
    readings: dict[str, tuple[str, ...]] = {}  # "1" -> ("1", "i", "l"): as typed, or as a letter
    for letter, subs in matching.L33T_TABLE.items():
        for sub in subs:
            readings[sub] = (*readings.get(sub, (sub,)), letter)
    short = frozenset(word[:size] for word in ranks for size in range(1, 5))
    return ranks, sorted(ranks), readings, short


def _french_lists() -> dict[str, dict[str, int]]:
    """Ranked as zxcvbn ranks its own lists (matching.build_ranked_dict: 1 = most common)."""
    import wordfreq  # about 0.1 s of imports (regex, ftfy, langcodes): only when first needed

    data = resources.files(__package__).joinpath("data/french_passwords.txt.gz").read_bytes()
    passwords = gzip.decompress(data).decode().split()
    words = []  # wordfreq's French list holds names too ("michel", "dupont", "nathalie")
    for word in wordfreq.top_n_list("fr", _FRENCH_WORDS):
        if word.isalpha():
            words.append(word)
            plain = _unaccented(word)
            if plain != word:  # "été" is typed "ete" too
                words.append(plain)
    return {"french_passwords": matching.build_ranked_dict(passwords),
            "french_words": matching.build_ranked_dict(list(dict.fromkeys(words)))}


def _unaccented(word: str) -> str:
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)))


def _is_prefix(word: str) -> bool:
    _, ordered, _, short = _words()
    if len(word) <= 4:
        return word in short
    k = bisect_left(ordered, word)
    return k < len(ordered) and ordered[k].startswith(word)


def _dictionary_matches(password: str, user: dict[str, int], reverse: bool) -> list[dict[str, Any]]:
    text = password[::-1] if reverse else password
    lower = "".join(c.lower()[0] for c in text)  # one code point each ("İ"), so indices hold
    user_prefixes = {word[:size] for word in user for size in range(1, len(word) + 1)}
    ranks, _, readings, _ = _words()
    n, found = len(text), []
    for start in range(n):
        stack: list[tuple[int, str, dict[str, str]]] = [(start, "", {})]
        while stack:
            j, word, sub = stack.pop()
            char = lower[j]  # a l33t character reads the same way throughout one match
            for reading in (sub[char],) if char in sub else readings.get(char, (char,)):
                word_j = word + reading
                if word_j not in user_prefixes and not _is_prefix(word_j):
                    continue
                sub_j = sub if char in sub or char not in readings else {**sub, char: reading}
                if j + 1 < n:
                    stack.append((j + 1, word_j, sub_j))
                rank = min(ranks.get(word_j, math.inf), user.get(word_j, math.inf))
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


def _guesses(text: str, user: dict[str, int], cap: float = math.inf) -> float:
    """zxcvbn's guesses for a text of at most _WINDOW code points (more would be slow), or `cap`
    when they are `cap` or more."""
    found = _dictionary_matches(text, user, False) + _dictionary_matches(text, user, True)
    for matcher in (matching.spatial_match, matching.sequence_match, matching.regex_match,
                    matching.date_match):
        found += matcher(text)
    for start, i, end in sorted(set(_tandems(text)) | set(_regex_repeats(text))):
        found.append({"pattern": "repeat", "i": start, "j": end - 1, "token": text[start:end],
                      "base_guesses": Decimal(_guesses(text[start:i], user, cap)),
                      "repeat_count": (end - start) / (i - start)})
    return _optimal_guesses(text, found, cap)


def _optimal_guesses(text: str, found: list[dict[str, Any]], cap: float = math.inf) -> float:
    """The minimum of scoring.most_guessable_match_sequence (see the module docstring), or `cap`
    when it is `cap` or more. A partial sequence's g only grows as it is extended (factorial,
    products of guesses >= 1, the additive 1e4 ** (l - 1)), so one at `cap` or more is dropped:
    with cap = _TOP that leaves at most 3 matches per sequence and brute-force runs of at most
    10 code points, which bounds the search on dense input (square-free text: 327 word matches
    in 64 code points)."""
    by_end: list[list[tuple[int, float, bool]]] = [[] for _ in text]
    for m in sorted(found, key=lambda m: m["i"]):  # zxcvbn's order, which ties depend on
        by_end[m["j"]].append((m["i"], float(scoring.estimate_guesses(m, text)), False))
    best: list[dict[int, tuple[float, float, bool]]] = [{} for _ in text]  # l -> (g, pi, brute)
    after_match = [0]  # where a brute-force run may start: 0, or just after a match
    for k in range(len(text)):
        here = best[k]
        brute_from = [(i, _BRUTE[k - i + 1], True) for i in after_match
                      if _BRUTE[k - i + 1] < cap]  # longer runs are at cap or more
        for i, guesses, brute in by_end[k] + brute_from:
            for length, (_, pi, before) in best[i - 1].items() if i else ((0, (0, 1.0, False)),):
                if brute and before:  # two brute-force runs in a row never win
                    continue
                pi *= guesses
                g = _FACTORIAL[length + 1] * pi + _GROWTH[length]
                if g >= cap:
                    continue
                for size, (other, _, _) in here.items():
                    if size <= length + 1 and other <= g:
                        break  # as good with no more matches
                else:
                    here[length + 1] = (g, pi, brute)
        if not all(brute for _, _, brute in here.values()):
            after_match.append(k + 1)
    return min((g for g, _, _ in best[-1].values()), default=cap) if text else 1.0


_BRUTE = [1.0, 11.0] + [10.0**size for size in range(2, _WINDOW + 1)]  # as bruteforce_guesses
_FACTORIAL = [float(math.factorial(size)) for size in range(_WINDOW + 2)]
_GROWTH = [1e4**size for size in range(_WINDOW + 1)]  # MIN_GUESSES_BEFORE_GROWING_SEQUENCE ** l
