"""Both catalogues are complete: every string of the code and templates has a French and an English text.

A language's catalogue is translations/<lang>/LC_MESSAGES/messages.po (the foundation) plus one .po file
per product area; the app compiles them into one messages.mo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from userhub.i18n import catalogue_files

ROOT = Path(__file__).resolve().parents[2]


def _key(message_id: object) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]  # type: ignore[index]


def _source_messages(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "translations/babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), str(ROOT)],
        check=True, cwd=ROOT, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {_key(m.id) for m in read_po(handle) if m.id}


def _files(locale: str) -> dict[str, dict[str, object]]:
    """Each file of the language with its translated strings."""
    result = {}
    for path in catalogue_files(ROOT / "translations" / locale):
        with path.open("rb") as handle:
            result[path.name] = {
                _key(m.id): m.string
                for m in read_po(handle, locale=locale)
                if m.id and m.string and (isinstance(m.string, str) or all(m.string)) and "fuzzy" not in m.flags
            }
    return result


def _translated(locale: str) -> dict[str, object]:
    merged: dict[str, object] = {}
    for strings in _files(locale).values():
        for key, value in strings.items():
            merged.setdefault(key, value)
    return merged


def test_french_and_english_catalogues_are_complete(tmp_path: Path) -> None:
    wanted = _source_messages(tmp_path)
    assert len(wanted) > 100
    for locale in ("fr", "en"):
        missing = sorted(wanted - set(_translated(locale)))
        assert missing == [], f"{locale}: {len(missing)} untranslated, e.g. {missing[:5]}"


def test_no_catalogue_keeps_strings_nothing_uses(tmp_path: Path) -> None:
    """A string left behind by a change is work for translators and a trap for the next wording search."""
    wanted = _source_messages(tmp_path)
    for locale in ("fr", "en"):
        for name, strings in _files(locale).items():
            unused = sorted(set(strings) - wanted)
            assert unused == [], f"{locale}/{name}: {len(unused)} string(s) nothing uses: {unused}"


def test_each_language_has_the_same_files_and_no_string_translated_twice_differently() -> None:
    french, english = _files("fr"), _files("en")
    assert sorted(french) == sorted(english)
    seen: dict[str, tuple[str, object]] = {}
    for name, strings in french.items():
        for key, value in strings.items():
            if key in seen and seen[key][1] != value:
                raise AssertionError(f"{key!r} is translated differently in {seen[key][0]} and {name}")
            seen.setdefault(key, (name, value))


def test_french_wording_follows_the_guides() -> None:
    fr = _translated("fr")
    assert fr["Create a password"] == "Créer un mot de passe"
    assert fr["Enter your name"] == "Saisissez votre nom"
    assert fr["Activate"] == "Activer"
    assert fr["At least 1 upper-case letter"] == "Au moins 1 lettre majuscule"
    assert fr["Make a call or join a meeting"] == "Passer un appel ou rejoindre une réunion"
