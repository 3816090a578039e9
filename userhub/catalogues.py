"""Reading and compiling the translation catalogues, with Babel only (no Flask), so that the wheel's
build (setup.py) and the running app in development compile them the same way."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def catalogue_files(locale_dir: Path) -> list[Path]:
    """The catalogue of one language: messages.po (the foundation) and one file per product area
    (admin.po, calling.po, ...), so that areas are translated side by side without touching each other."""
    lc_messages = locale_dir / "LC_MESSAGES"
    areas = sorted(p for p in lc_messages.glob("*.po") if p.name != "messages.po")
    return [lc_messages / "messages.po", *areas]


def read_catalogue(locale_dir: Path) -> Catalog:
    """All the files of one language merged into one catalogue (the first translation of a string wins;
    the plural rule comes from the language itself)."""
    locale = locale_dir.name
    merged = Catalog(locale=locale)
    for po_path in catalogue_files(locale_dir):
        if not po_path.exists():
            continue
        with po_path.open("rb") as po_file:
            part = read_po(po_file, locale=locale)
        for message in part:
            if message.id and message.id not in merged:
                merged[message.id] = message
    return merged


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Compile each language's .po files under ``source`` into one ``target/<lang>/LC_MESSAGES/messages.mo``
    when it is missing or older. The .mo files are build products: the wheel's build writes them into the
    package, the app in development into its instance folder; never into the source tree."""
    written = []
    for lc_messages in sorted(source.glob("*/LC_MESSAGES")):
        sources = [p for p in catalogue_files(lc_messages.parent) if p.exists()]
        if not sources:
            continue
        mo_path = target / lc_messages.parent.name / "LC_MESSAGES" / "messages.mo"
        newest = max(p.stat().st_mtime for p in sources)
        if mo_path.exists() and mo_path.stat().st_mtime >= newest:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        catalogue = read_catalogue(lc_messages.parent)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalogue)
        tmp.replace(mo_path)
        written.append(mo_path)
    return written
