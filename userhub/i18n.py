"""Language and time zone of the reader, the app's gettext, and keeping the compiled catalogues up to date.

Code and templates translate through ``gettext``, ``lazy_gettext`` and ``ngettext`` from here rather
than Flask-Babel's: those find the catalogue again for every string, through about ten request-context
lookups, and a settings page translates about a hundred strings (a tenth of the Calling overview's time,
bench/bench_calling.py). Here the catalogue is found once per request and language."""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Babel, Domain, LazyString, get_locale, get_translations
from flask_babel import _get_current_context as babel_state
from flask_login import current_user

log = logging.getLogger(__name__)
_KEPT = "userhub_catalogue"  # (locale, translations) on Flask-Babel's per-request state
_UNTRANSLATED = NullTranslations()

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


class RequestDomain(Domain):
    """Flask-Babel's message domain, keeping the request's catalogue with the locale it belongs to,
    so that ``force_locale`` (emails in the recipient's language) and ``refresh`` still switch."""

    def get_translations(self) -> NullTranslations:
        state = babel_state()
        if state is None:
            return _UNTRANSLATED
        locale = getattr(state, "babel_locale", None) or get_locale()
        kept = getattr(state, _KEPT, None)
        if kept is not None and kept[0] is locale:
            return kept[1]
        translations = super().get_translations()
        setattr(state, _KEPT, (locale, translations))
        return translations


class RequestBabel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:  # type: ignore[override]
        return RequestDomain(domain=self.domain)


def _catalogue() -> NullTranslations:
    """The catalogue ``RequestDomain`` kept for this request's language, with one context lookup."""
    if not has_app_context():
        return _UNTRANSLATED
    state = vars(g._get_current_object()).get("_flask_babel")  # Flask-Babel 4's per-request state
    if state is not None:
        kept = vars(state).get(_KEPT)
        if kept is not None and kept[0] is vars(state).get("babel_locale"):
            return kept[1]
    return get_translations()


def gettext(string: str, **variables: Any) -> str:
    translated = _catalogue().ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return _catalogue().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Translated when shown (form labels and messages defined at import time)."""
    return LazyString(gettext, string, **variables)


def init_app(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # after Flask-Babel's, which it replaces
        gettext=lambda string: _catalogue().ugettext(string),
        ngettext=lambda singular, plural, num: _catalogue().ungettext(singular, plural, num),
        newstyle=True,
    )
    try:
        compile_catalogues()
    except OSError as exc:  # a read-only install must have run `flask translate compile` at build time
        log.warning("Could not compile translations: %s", exc)


def current_locale() -> str:
    """The language pages and emails are rendered in (honours ``force_locale``)."""
    locale = get_locale()
    return locale.language if locale else "en"
