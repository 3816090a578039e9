"""gettext for code that must run without Flask (the routing core): it translates through the functions
the app installs at set-up (``i18n.init_app``), and leaves texts in English without an app (a script,
a property test)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_translations: dict[str, Callable[..., str]] = {
    "gettext": lambda string: string,
    "ngettext": lambda singular, plural, num: singular if num == 1 else plural,
}


def install(gettext_function: Callable[[str], str], ngettext_function: Callable[[str, str, int], str]) -> None:
    _translations.update(gettext=gettext_function, ngettext=ngettext_function)


def gettext(string: str, **variables: Any) -> str:
    translated = _translations["gettext"](string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return _translations["ngettext"](singular, plural, num) % variables


class LazyText:
    """A text translated each time it is shown, in the reader's language (labels made at import time)."""

    __slots__ = ("string", "variables")

    def __init__(self, string: str, **variables: Any) -> None:
        self.string = string
        self.variables = variables

    def __str__(self) -> str:
        return gettext(self.string, **self.variables)

    def __html__(self) -> str:
        return str(self)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"LazyText({self.string!r})"


def lazy_gettext(string: str, **variables: Any) -> LazyText:
    return LazyText(string, **variables)
