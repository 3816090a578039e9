"""Both catalogues are complete: every string of the code and templates has a French and an English text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _source_messages(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "translations/babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), str(ROOT)],
        check=True, cwd=ROOT, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def _translated(locale: str) -> dict[str, object]:
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {
            (m.id if isinstance(m.id, str) else m.id[0]): m.string
            for m in read_po(handle, locale=locale)
            if m.id and m.string and (isinstance(m.string, str) or all(m.string)) and "fuzzy" not in m.flags
        }


def test_french_and_english_catalogues_are_complete(tmp_path: Path) -> None:
    wanted = _source_messages(tmp_path)
    assert len(wanted) > 100
    for locale in ("fr", "en"):
        missing = sorted(wanted - set(_translated(locale)))
        assert missing == [], f"{locale}: {len(missing)} untranslated, e.g. {missing[:5]}"


def test_french_wording_follows_the_guides() -> None:
    fr = _translated("fr")
    assert fr["Create a password"] == "Créer un mot de passe"
    assert fr["Enter your name"] == "Saisissez votre nom"
    assert fr["Activate"] == "Activer"
    assert fr["At least 1 upper-case letter"] == "Au moins 1 lettre majuscule"
    assert fr["Make a call or join a meeting"] == "Passer un appel ou rejoindre une réunion"
