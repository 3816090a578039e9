"""Language and time zone of the reader, the app's gettext, and keeping the compiled catalogues up to date.

Code and templates translate through ``gettext``, ``lazy_gettext`` and ``ngettext`` from here rather
than Flask-Babel's: those find the catalogue again for every string, through about ten request-context
lookups, and a settings page translates about a hundred strings (a tenth of the Calling overview's time,
bench/bench_calling.py). Here the catalogue is found once per request and language."""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from babel.dates import get_timezone_location, get_timezone_name
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Babel, Domain, LazyString, get_locale, get_translations
from flask_babel import _get_current_context as babel_state
from flask_login import current_user

from . import data, texts
from .catalogues import catalogue_files, compile_catalogues, read_catalogue

__all__ = ["catalogue_files", "compile_catalogues", "read_catalogue"]  # read by the CLI and the tests from here

_KEPT = "userhub_catalogue"  # (locale, translations) on Flask-Babel's per-request state
_UNTRANSLATED = NullTranslations()

LANGUAGES = {"fr": "Français", "en": "English"}
TRANSLATIONS_DIR = data.data_path("translations")  # the .po files (and, installed, the compiled .mo)


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
    # The routing core translates without Flask, through the same catalogue.
    texts.install(lambda string: _catalogue().ugettext(string),
                  lambda singular, plural, num: _catalogue().ungettext(singular, plural, num))
    # After Flask-Babel's, which it replaces; the method comes with Jinja's i18n extension.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=lambda string: _catalogue().ugettext(string),
        ngettext=lambda singular, plural, num: _catalogue().ungettext(singular, plural, num),
        newstyle=True,
    )


def compiled_catalogues(app: Flask) -> Path:
    """The folder of the compiled catalogues: the package's own when installed (compiled when the wheel
    was built; the app never writes into an installed package), else a cache in the instance folder,
    compiled here when a .po file is newer."""
    if data.installed():
        return TRANSLATIONS_DIR
    target = Path(app.instance_path) / "translations"
    compile_catalogues(TRANSLATIONS_DIR, target)
    return target


def current_locale() -> str:
    """The language pages and emails are rendered in (honours ``force_locale``)."""
    locale = get_locale()
    return locale.language if locale else "en"


def zone_name(zone: str) -> str:
    """A time zone as people read it in the reader's language, never its id: "heure d’Europe centrale
    (Berlin)", "Central European Time (Paris)" (the city tells two zones of one name apart); "UTC" stays."""
    return _zone_name(zone, current_locale()) or zone


def zone_choices() -> list[tuple[str, str]]:
    """(id, name) of every zone Babel can name, in the reader's language, sorted by name: a zone menu."""
    return _zone_choices(current_locale())


@lru_cache(maxsize=len(LANGUAGES))
def _zone_choices(locale: str) -> list[tuple[str, str]]:
    """About 600 zones, 0.15 s of CPU to name: once per language and process, on the first zone menu."""
    names = [(zone, name) for zone in available_timezones() if (name := _zone_name(zone, locale))]
    return sorted(names, key=lambda item: (item[1].casefold(), item[0]))


@lru_cache(maxsize=4096)
def _zone_name(zone: str, locale: str) -> str | None:
    """One zone's name in one language (a page names one or two: it does not pay for the whole menu)."""
    try:
        name = get_timezone_name(zone, locale=locale)
        city = get_timezone_location(zone, locale=locale, return_city=True)
    except LookupError:  # "Factory", "localtime", an unknown id: not a place
        return None
    if zone == "UTC" or zone.startswith(("Etc/", "GMT", "UCT", "Universal", "Zulu")):
        name = city  # CLDR's "région indéterminée (UTC)" reads worse than the offset itself
    elif city and city not in name:
        name = f"{name} ({city})"
    return name.replace(" :", "\u00a0:")  # CLDR's French "heure : Inde" with French typography
