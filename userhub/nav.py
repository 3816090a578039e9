"""The main menu and the page tabs, declared in one place.

Areas do not add themselves to the menu: the menu is one short list here, so that an area's modules
never import the web wiring and the order of the entries is read at a glance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from .i18n import lazy_gettext as _l
from .security.access import is_admin


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # a lazy string, translated when shown
    visible: Callable[[object], bool]
    order: int


def register_nav(app: Flask, endpoint: str, label: object, visible: Callable[[object], bool] | None = None,
                 order: int = 50, group: str = "main") -> None:
    """Add an entry to the main menu (or a tab group) without editing the base template."""
    entries = app.extensions.setdefault("userhub_nav", {}).setdefault(group, [])
    entries.append(NavEntry(endpoint, label, visible or (lambda user: True), order))
    entries.sort(key=lambda entry: entry.order)


def register_tab(app: Flask, group: str, endpoint: str, label: object, order: int = 50,
                 visible: Callable[[object], bool] | None = None) -> None:
    """Add a tab to a page group (e.g. "calling": Call settings, Schedules, Voicemail, Contacts)."""
    register_nav(app, endpoint, label, visible, order, group=group)


def init_app(app: Flask) -> None:
    """The menu and the tabs of the product's areas, and the template helpers that show them."""
    register_nav(app, "admin.users", _l("Users"), visible=is_admin, order=20)
    register_nav(app, "calling.overview", _l("Calling"), order=30)
    register_tab(app, "calling", "calling.overview", _l("Call settings"), order=10)
    register_tab(app, "calling", "schedules.my_index", _l("Schedules"), order=20)
    register_tab(app, "calling", "voicemail.settings", _l("Voicemail"), order=30)
    register_tab(app, "calling", "sip.phones", _l("Phones"), order=35)
    register_tab(app, "calling", "contacts.index", _l("Contacts"), order=40)
    app.context_processor(lambda: {"nav_entries": _nav_entries, "tabs": _tabs})


def _entries(group: str) -> list[dict[str, object]]:
    navigation = current_app.extensions.get("userhub_nav", {})
    entries = navigation.get(group, [])
    here = request.endpoint or ""
    # Administrators' pages of other areas (/admin/calling/access, /admin/voicemail...) belong to the
    # administration entry of the main menu, not to the area's own entry.
    blueprint = "admin" if request.path.startswith("/admin/") else here.partition(".")[0]
    exact_tab = any(here == e.endpoint for e in entries)
    result = []
    for e in entries:
        if not (current_user.is_authenticated and e.visible(current_user)):
            continue
        own_blueprint = e.endpoint.partition(".")[0]
        if group == "main":
            # A page reached through a tab (a schedule, a voicemail greeting) belongs to the main entry whose
            # area leads that tab group: Settings > Calling stays highlighted on every calling tab.
            current = own_blueprint == blueprint or (
                blueprint != "admin" and any(_area_of(g, own_blueprint) and _area_of(g, blueprint)
                                             for name, g in navigation.items() if name != "main"))
        else:
            # A tab stays highlighted on the pages below it (a schedule's page, a feature's page).
            current = here == e.endpoint or (not exact_tab and blueprint != "admin" and own_blueprint == blueprint)
        result.append({"url": url_for(e.endpoint), "label": e.label, "current": current, "endpoint": e.endpoint})
    return result


def _area_of(group: list[NavEntry], blueprint: str) -> bool:
    return any(e.endpoint.partition(".")[0] == blueprint for e in group)


def _nav_entries() -> list[dict[str, object]]:
    return _entries("main")


def _tabs(group: str) -> list[dict[str, object]]:
    return _entries(group)
