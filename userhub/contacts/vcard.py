"""A careful small vCard reader and writer (RFC 2426 / 6350 subset): names and telephone numbers.

Small on purpose: contacts keep a name and up to five typed numbers, so only FN, N and TEL matter;
other properties (EMAIL, ORG, PHOTO...) are skipped. Reading collects every problem with its line
number instead of stopping at the first, so that an import can be refused as a whole with reasons.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import DomainError
from ..i18n import lazy_gettext as _l
from ..i18n import ngettext


MAX_CARDS = 1000
VERSIONS = {"2.1", "3.0", "4.0"}
# vCard TYPE values -> our number types; the first one found wins ("VOICE" and "PREF" say nothing).
_TYPES_IN = {"cell": "mobile", "mobile": "mobile", "work": "work", "home": "home", "fax": "fax", "other": "other"}
_TYPES_OUT = {"work": "WORK,VOICE", "mobile": "CELL", "home": "HOME,VOICE", "fax": "FAX", "other": "VOICE"}
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass
class CardNumber:
    line: int
    kind: str
    text: str


@dataclass
class Card:
    line: int  # where BEGIN:VCARD is
    name: str = ""
    structured_name: str = ""
    numbers: list[CardNumber] = field(default_factory=list)


class VCardError(DomainError, ValueError):
    """Nothing is imported; ``problems`` lists each by line (the page lists them under the file field)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def placed_on(self, form: Any) -> dict[str, list[Any]]:
        return {"vcard_file": [ngettext("Nothing was imported: the file has %(num)d problem, listed below.",
                                        "Nothing was imported: the file has %(num)d problems, listed below.",
                                        len(self.problems))]}

    def __str__(self) -> str:
        return "; ".join(f"{p.line}: {p.message}" for p in self.problems)


# --- reading -----------------------------------------------------------------------------------


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfold continuation lines (starting with a space or a tab), keeping the first line's number."""
    result: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t") and result:
            result[-1] = (result[-1][0], result[-1][1] + line[1:])
        else:
            result.append((number, line))
    return result


def _split_content_line(line: str) -> tuple[str, dict[str, list[str]], str] | None:
    """``item1.TEL;TYPE=cell,voice:+33...`` -> ("TEL", {"TYPE": ["cell", "voice"]}, "+33...")."""
    in_quotes = False
    for i, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            head, value = line[:i], line[i + 1:]
            break
    else:
        return None
    parts = re.findall(r'(?:[^;"]|"[^"]*")+', head)
    if not parts:
        return None
    name = parts[0].rpartition(".")[2].strip().upper()
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, sep, raw = part.partition("=")
        if not sep:  # vCard 2.1 writes bare types: TEL;CELL:...
            key, raw = "TYPE", key
        values = [v.strip().strip('"') for v in raw.split(",")]
        params.setdefault(key.strip().upper(), []).extend(v for v in values if v)
    return name, params, value


def _unescape(value: str) -> str:
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _split_components(value: str) -> list[str]:
    return [_unescape(part) for part in re.split(r"(?<!\\);", value)]


def _number_kind(params: dict[str, list[str]]) -> str:
    for value in params.get("TYPE", []):
        kind = _TYPES_IN.get(value.lower())
        if kind:
            return kind
    return "other"


def parse_vcards(text: str, max_numbers: int = 5, max_name: int = 120) -> list[Card]:
    """Every card of ``text``, or ``VCardError`` listing every problem found (line by line)."""
    cards, problems = read_vcards(text, max_numbers, max_name)
    if problems:
        raise VCardError(problems)
    return cards


def read_vcards(text: str, max_numbers: int = 5, max_name: int = 120) -> tuple[list[Card], list[Problem]]:
    """The cards that could be read and the problems found, sorted by line."""
    problems: list[Problem] = []
    cards: list[Card] = []
    card: Card | None = None
    for line_no, line in _logical_lines(text):
        if not line.strip():
            continue
        parsed = _split_content_line(line)
        if parsed is None:
            problems.append(Problem(line_no, str(_l("This line is not a vCard property."))))
            continue
        name, params, value = parsed
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if card is not None:
                problems.append(Problem(card.line, str(_l("This card has no END:VCARD line."))))
            card = Card(line_no)
            continue
        if card is None:
            problems.append(Problem(line_no, str(_l("This line is outside a card (BEGIN:VCARD ... END:VCARD)."))))
            continue
        if name == "END":
            full_name = card.name or card.structured_name
            if not full_name:
                problems.append(Problem(card.line, str(_l("This card has no name (FN or N)."))))
            elif len(full_name) > max_name:
                problems.append(Problem(card.line, str(_l("The name is longer than %(count)s characters.",
                                                          count=max_name))))
            cards.append(card)
            card = None
        elif name == "VERSION" and value.strip() not in VERSIONS:
            problems.append(Problem(line_no, str(_l("vCard version %(version)s is not supported.",
                                                    version=value.strip()[:10]))))
        elif "ENCODING" in params and name in ("FN", "N", "TEL"):
            problems.append(Problem(line_no, str(_l("Encoded values (%(encoding)s) are not supported.",
                                                    encoding=",".join(params["ENCODING"])[:20]))))
        elif name == "FN":
            card.name = _unescape(value).strip()
        elif name == "N":
            parts = (_split_components(value) + [""] * 5)[:5]
            family, given, additional, prefix, suffix = parts
            card.structured_name = " ".join(p.strip() for p in (prefix, given, additional, family, suffix) if p.strip())
        elif name == "TEL":
            number = value.strip()
            if number.lower().startswith("tel:"):
                number = number[4:].split(";")[0]
            if len(card.numbers) >= max_numbers:
                problems.append(Problem(line_no, str(_l("A contact has at most %(count)s numbers.", count=max_numbers))))
            else:
                card.numbers.append(CardNumber(line_no, _number_kind(params), number))
    if card is not None:
        problems.append(Problem(card.line, str(_l("This card has no END:VCARD line."))))
    if len(cards) > MAX_CARDS:
        problems.append(Problem(1, str(_l("A file may hold at most %(count)s cards.", count=MAX_CARDS))))
    if not cards and not problems:
        problems.append(Problem(1, str(_l("The file holds no vCard."))))
    for each in cards:
        each.name = each.name or each.structured_name
    return cards, sorted(problems, key=lambda p: p.line)


# --- writing -----------------------------------------------------------------------------------


def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space, never cutting a UTF-8 character."""
    pieces: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not pieces else 74
        if len((current + char).encode()) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return "\r\n ".join(pieces)


def export_vcards(contacts: Iterable[tuple[str, Iterable[tuple[str, str]]]]) -> str:
    """vCard 3.0 text for (name, [(kind, E.164 number), ...]) pairs."""
    out: list[str] = []
    for name, numbers in contacts:
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(name)}", f"N:{_escape(name)};;;;"]
        lines += [f"TEL;TYPE={_TYPES_OUT.get(kind, 'VOICE')}:{number}" for kind, number in numbers]
        lines.append("END:VCARD")
        out.extend(_fold(line) for line in lines)
    return "\r\n".join(out) + "\r\n" if out else ""
