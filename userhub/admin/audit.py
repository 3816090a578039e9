"""The audit log: every administrative change, with who made it and when.

An entry stores what happened as data: its action (the event key) and its parameters (JSON: counts,
numbers, names, codes), never a sentence. The sentence is written when the log is read, in the reader's
language, with their number format ("3 000" in French) and their names for countries. Entries written
before the parameters existed keep their English ``details`` text and show it as it is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from flask_babel import format_decimal, get_locale
from flask_login import current_user
from sqlalchemy import func, select

from ..extensions import db
from ..i18n import gettext as _, lazy_gettext as _l, ngettext, zone_name
from ..organizations.models import Organization
from ..phones import format_number
from .models import AuditEvent

PAGE_SIZE = 50
# What each recorded action is called on the audit page (the code is what is stored).
ACTIONS = {
    "user.created": _l("User created"),
    "user.changed": _l("User changed"),
    "user.deleted": _l("User deleted"),
    "invitation.sent": _l("Invitation sent"),
    "invitations.all": _l("Invitations sent to every pending user"),
    "users.imported": _l("Users imported"),
    "location.created": _l("Location created"),
    "numbers.added": _l("Numbers added"),
    "settings.activation_emails": _l("Activation emails setting changed"),
    "voicemail.fax_messaging": _l("Fax messaging setting changed"),
}
# A value the entry does not have (no number, no extension, no package).
NONE = "—"
# The fields of a user's calling settings that "user.changed" records, in the order they are shown.
USER_FIELDS = {"package": _l("Package"), "location": _l("Location"), "number": _l("Phone number"),
               "extension": _l("Extension")}

Params = Mapping[str, Any]


def record(organization: Organization, action: str, target: str = "", params: Params | None = None) -> AuditEvent:
    """Add an audit entry to the current transaction: it is stored only if the change is.

    ``params`` are what the entry's sentence is made of, stored as JSON (values: strings, numbers,
    booleans, None, lists of them); ``describe`` writes the sentence in the reader's language."""
    actor = current_user if getattr(current_user, "is_authenticated", False) else None
    event = AuditEvent(
        organization_id=organization.id,
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else "",
        action=action,
        target=target[:300],
        details="",
        params=dict(params or {}),
    )
    db.session.add(event)
    return event


def _number(e164: str | None) -> str:
    return format_number(e164) or NONE


def _count(num: int) -> str:
    return str(format_decimal(num))


def _line(params: Params) -> str:
    return _("Number %(number)s, extension %(extension)s", number=_number(params.get("number")),
             extension=params.get("extension") or NONE)


def _changed(params: Params) -> str:
    changes = params["changes"]
    parts = []
    for name, label in USER_FIELDS.items():
        if name in changes:
            before, after = changes[name]
            if name == "number":
                before, after = _number(before), _number(after)
            parts.append(_("%(field)s: %(before)s → %(after)s", field=label, before=before or NONE,
                           after=after or NONE))
    # The separator is translated too: French puts a no-break space before ";".
    return functools.reduce(lambda done, part: _("%(done)s; %(next)s", done=done, next=part), parts) if parts else ""


def _country(code: str) -> str:
    """The country's name in the reader's language (its code when Babel does not know it)."""
    try:
        names = Locale.parse(str(get_locale() or "en")).territories
    except (UnknownLocaleError, ValueError):
        return code
    return names.get(code.upper(), code)


def _numbers_added(params: Params) -> str:
    count = int(params["count"])
    return ngettext("%(count)s number: %(first)s", "%(count)s numbers: %(first)s – %(last)s", count,
                    count=_count(count), first=_number(params["first"]), last=_number(params["last"]))


def _activation(params: Params) -> str:
    return _("Sent automatically") if params["mode"] == "automatic" else _("Sent by an administrator")


SENTENCES: dict[str, Callable[[Params], str]] = {
    "user.created": _line,
    "user.deleted": _line,
    "user.changed": _changed,
    "invitations.all": lambda p: ngettext("To %(count)s pending user", "To %(count)s pending users", int(p["count"]),
                                          count=_count(int(p["count"]))),
    "users.imported": lambda p: ngettext("%(count)s row", "%(count)s rows", int(p["count"]), count=_count(int(p["count"]))),
    "location.created": lambda p: _("%(country)s, time zone %(time_zone)s", country=_country(str(p["country"])),
                                    time_zone=zone_name(str(p["time_zone"]))),
    "numbers.added": _numbers_added,
    "settings.activation_emails": _activation,
    "voicemail.fax_messaging": lambda p: _("Fax messaging allowed") if p["allowed"] else _("Fax messaging not allowed"),
}


def describe(event: AuditEvent) -> str:
    """The entry's details as a sentence in the reader's language; an entry from before the parameters
    (or of an action this version does not know) shows its stored text."""
    sentence = SENTENCES.get(event.action)
    if not event.params or sentence is None:
        return event.details
    try:
        return sentence(event.params)
    except (KeyError, TypeError, ValueError):  # parameters this version does not understand
        return event.details


@dataclass
class AuditPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int


def events(organization: Organization, page: int = 1) -> AuditPage:
    total = db.session.scalar(select(func.count()).where(AuditEvent.organization_id == organization.id)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.organization_id == organization.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return AuditPage(list(rows), total, page, pages)
