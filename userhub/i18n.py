"""Language and time zone of the reader, and keeping the compiled catalogues up to date."""

from __future__ import annotations

import logging
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

log = logging.getLogger(__name__)

LANGUAGES = {"fr": "Français", "en": "English"}
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def select_locale() -> str:
    """The user's saved preference, then the language chosen on this browser, then Accept-Language."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if current_user and current_user.is_authenticated:
        if current_user.time_zone:
            return current_user.time_zone
        if current_user.location is not None:
            return current_user.location.time_zone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


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


def compile_catalogues(directory: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Compile each language's .po files into one messages.mo when it is missing or older. The .mo
    files are build products and stay out of git; this runs when the app starts and from
    `flask translate compile`."""
    written = []
    for lc_messages in directory.glob("*/LC_MESSAGES"):
        sources = [p for p in catalogue_files(lc_messages.parent) if p.exists()]
        if not sources:
            continue
        mo_path = lc_messages / "messages.mo"
        newest = max(p.stat().st_mtime for p in sources)
        if mo_path.exists() and mo_path.stat().st_mtime >= newest:
            continue
        catalogue = read_catalogue(lc_messages.parent)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalogue)
        tmp.replace(mo_path)
        written.append(mo_path)
    return written


def init_app(app: Flask) -> None:
    try:
        compile_catalogues()
    except OSError as exc:  # a read-only install must have run `flask translate compile` at build time
        log.warning("Could not compile translations: %s", exc)


def current_locale() -> str:
    """The language pages and emails are rendered in (honours ``force_locale``)."""
    locale = get_locale()
    return locale.language if locale else "en"
