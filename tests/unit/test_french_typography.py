"""French as it is written, checked over the catalogues so new strings keep it: a no-break space (U+00A0
or the narrow U+202F) before ":", ";", "?" and "!" and inside « », one apostrophe (’), and counts
through ngettext in every language (no "règle(s)")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from userhub.i18n import catalogue_files

ROOT = Path(__file__).resolve().parents[2]
NO_BREAK = "\u00a0\u202f"
# ":" of a URL, a time ("10:30") or a technical token ("END:VCARD"); "?!" after each other; the list of
# special characters a password may hold.
TECHNICAL = re.compile(r"https?://\S*|\d:\d|[A-Z]+:[A-Z]+|\(~!@\S*|\(!, ")


def _texts(locale: str, with_ids: bool = False) -> list[tuple[str, str, str]]:
    """(file, msgid, text) for every translation (each plural form) of the language, and the msgids too."""
    found = []
    for path in catalogue_files(ROOT / "translations" / locale):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
                strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
                for text in [*(ids if with_ids else []), *strings]:
                    found.append((path.name, ids[0], text or ""))
    return found


def french_typography_errors(text: str) -> list[str]:
    errors = []
    plain = TECHNICAL.sub("", text)
    for match in re.finditer(r"[:;?!]", plain):
        at = match.start()
        if at == 0 or plain[at - 1] in "?!":
            continue
        if plain[at - 1] not in NO_BREAK:
            errors.append(f"no no-break space before {match.group()!r}")
    if re.search(rf"«[^{NO_BREAK}]", plain) or re.search(rf"[^{NO_BREAK}]»", plain):
        errors.append("no no-break space inside « »")
    if re.search(r"[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ%]", plain):
        errors.append("ASCII apostrophe (use ’)")
    return errors


@pytest.mark.parametrize(("text", "wrong"), [
    ("Mot de passe: Trop facile", True), ("Activer : http://x", True), ("Où va mon appel ?", True),
    ("Rien n'a été importé", True), ("Aucun contact ne correspond à « %(q)s ».", True),
    ("Où va mon appel\u00a0?", False), ("Activer\u202f: http://hub.example.org/a?b=1", False),
    ("Aucun contact ne correspond à «\u00a0%(q)s\u00a0».", False), ("Rien n’a été importé", False),
    ("fin à 10:30", False), ("Cette fiche n’a pas de ligne END:VCARD.", False),
    ("Au moins 1 caractère spécial (~!@#$%^&*()-_=+[]{}|;:,.<>/?)", False),
])
def test_the_check_itself(text: str, wrong: bool) -> None:
    assert bool(french_typography_errors(text)) is wrong, text


def test_french_strings_follow_french_typography() -> None:
    wrong = [f"{name}: {text!r}: {', '.join(errors)}" for name, msgid, text in _texts("fr")
             if text != msgid and (errors := french_typography_errors(text))]
    assert wrong == [], f"{len(wrong)} French strings:\n" + "\n".join(wrong[:40])


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_counts_go_through_ngettext_not_parentheses(locale: str) -> None:
    wrong = sorted({f"{name}: {text!r}" for name, _msgid, text in _texts(locale, with_ids=True) if "(s)" in text})
    assert wrong == [], "\n".join(wrong)


def test_no_template_writes_punctuation_of_its_own_after_a_translated_text():
    """``{{ label }}: {{ error }}`` prints "Mot de passe: trop court" in French: the colon belongs to the
    translated pattern ("%(label)s: %(value)s", "%(label)s : %(value)s" in French), not to the template."""
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\}\}\s?[:;?!](\s|<|$)", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
