"""Voicemail settings and greetings of the signed-in user. Views call these; every rule is checked here."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_decimal
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ..admin import audit
from ..accounts.emails import InvalidEmail, normalise_email
from ..accounts.models import User
from ..errors import DomainError, StalePage
from ..extensions import db
from ..i18n import gettext as _
from ..organizations.models import Organization
from ..phones import InvalidPhoneNumber, is_extension, parse_number, region_of
from ..timeutil import utcnow
from .models import (
    MAX_RINGS,
    MIN_RINGS,
    Greeting,
    GreetingKind,
    Storage,
    VoicemailGreeting,
    VoicemailOrganizationSettings,
    VoicemailSettings,
)
from .wav import MAX_GREETING_BYTES, NotWav, inspect_wav


class VoicemailInvalid(DomainError, ValueError):
    """Field name -> message; nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(fields=errors)
        self.errors = errors  # field -> first message, for services that gather several checks


class StaleSettings(StalePage):
    """The page was opened before someone else saved; ``current`` holds what is stored now."""

    current: VoicemailSettings


@dataclass
class VoicemailInput:
    """What the settings form sends (strings as typed; the service parses and checks them)."""

    version: int
    enabled: bool = True
    send_all_calls: bool = False
    send_busy_calls: bool = False
    busy_greeting: str = Greeting.DEFAULT.value
    send_unanswered_calls: bool = True
    unanswered_rings: int = 3
    no_answer_greeting: str = Greeting.DEFAULT.value
    notifications_enabled: bool = False
    notification_email: str = ""
    email_copy_enabled: bool = False
    email_copy_address: str = ""
    transfer_enabled: bool = False
    transfer_number: str = ""
    storage: str = Storage.INTERNAL.value
    external_email: str = ""
    fax_enabled: bool = False
    fax_number: str = ""
    fax_extension: str = ""
    # Greeting files sent with the settings: kind ("busy", "no_answer") -> (file name, content). A file
    # sent for a greeting is stored and chosen for it in the same save.
    greeting_files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def fax_allowed(user: User) -> bool:
    return organization_allows_fax(user.organization_id)


def organization_allows_fax(organization_id: int) -> bool:
    row = db.session.get(VoicemailOrganizationSettings, organization_id)
    return bool(row and row.fax_messaging_allowed)


def set_fax_messaging(organization: Organization, allowed: bool) -> bool:
    """An administrator's switch, stored with its audit entry in one transaction; False when nothing changed
    (no row means "not allowed", so switching it off there adds neither a row nor an audit entry)."""
    if organization_allows_fax(organization.id) == allowed:
        return False
    row = db.session.get(VoicemailOrganizationSettings, organization.id)
    if row is None:
        row = VoicemailOrganizationSettings(organization_id=organization.id)
        db.session.add(row)
    row.fax_messaging_allowed = allowed
    audit.record(organization, "voicemail.fax_messaging", organization.name, {"allowed": allowed})
    return True


def get_settings(user: User) -> VoicemailSettings:
    """The user's settings to show: the stored row, or the defaults of reference section 18 in a row that is
    not stored (reading a page must never write; the row is created by the first save)."""
    settings = db.session.get(VoicemailSettings, user.id)
    if settings is not None:
        return settings
    defaults = VoicemailSettings(user_id=user.id)  # transient: never added to the session
    for column in VoicemailSettings.__table__.columns:
        if getattr(defaults, column.key) is None and column.default is not None:
            value = column.default.arg
            setattr(defaults, column.key, value(None) if callable(value) else value)
    return defaults


def uploaded_greetings(user: User) -> dict[str, VoicemailGreeting]:
    rows = db.session.scalars(select(VoicemailGreeting).where(VoicemailGreeting.user_id == user.id))
    return {row.kind: row for row in rows}


def _email(value: str, name: str, errors: dict[str, str], required: bool) -> str:
    if not value.strip():
        if required:
            errors[name] = _("Enter an email address.")
        return ""
    try:
        return normalise_email(value)
    except InvalidEmail as exc:
        errors[name] = str(exc)
        return value


def _number(value: str, name: str, region: str | None, errors: dict[str, str], required: bool) -> str:
    if not value.strip():
        if required:
            errors[name] = _("Enter a phone number.")
        return ""
    try:
        return parse_number(value, region)
    except InvalidPhoneNumber:
        errors[name] = _("“%(number)s” is not a valid phone number.", number=value.strip())
        return value


def _checked(user: User, data: VoicemailInput) -> dict[str, object]:
    """The values to store, or ``VoicemailInvalid`` naming every field that is wrong."""
    errors = dict(data.errors)
    region = region_of(user)
    if not MIN_RINGS <= data.unanswered_rings <= MAX_RINGS and "unanswered_rings" not in errors:
        errors["unanswered_rings"] = _("Choose between %(min)s and %(max)s rings.", min=MIN_RINGS, max=MAX_RINGS)
    uploaded = set(uploaded_greetings(user))
    for kind, (_name, content) in data.greeting_files.items():
        problem = greeting_problem(content)
        if problem:
            errors[f"{kind}_greeting_file"] = problem
        else:
            uploaded.add(kind)
            setattr(data, f"{kind}_greeting", Greeting.CUSTOM.value)  # the file just chosen is the one to play
    for name, kind in (("busy_greeting", GreetingKind.BUSY), ("no_answer_greeting", GreetingKind.NO_ANSWER)):
        if getattr(data, name) not in set(Greeting):
            errors[name] = _("Choose a greeting.")
        elif getattr(data, name) == Greeting.CUSTOM and kind not in uploaded and f"{kind}_greeting_file" not in errors:
            errors[name] = _("Upload a custom greeting before choosing it.")
    if data.storage not in set(Storage):
        errors["storage"] = _("Choose where messages are kept.")
    fax_ok = fax_allowed(user)
    values: dict[str, object] = {
        "enabled": data.enabled,
        "send_all_calls": data.send_all_calls,
        "send_busy_calls": data.send_busy_calls,
        "busy_greeting": data.busy_greeting,
        "send_unanswered_calls": data.send_unanswered_calls,
        "unanswered_rings": data.unanswered_rings,
        "no_answer_greeting": data.no_answer_greeting,
        "notifications_enabled": data.notifications_enabled,
        "notification_email": _email(data.notification_email, "notification_email", errors,
                                     data.notifications_enabled),
        "email_copy_enabled": data.email_copy_enabled,
        "email_copy_address": _email(data.email_copy_address, "email_copy_address", errors, data.email_copy_enabled),
        "transfer_enabled": data.transfer_enabled,
        "transfer_number": _number(data.transfer_number, "transfer_number", region, errors, data.transfer_enabled),
        "storage": data.storage,
        "external_email": _email(data.external_email, "external_email", errors,
                                 data.storage == Storage.EXTERNAL),
    }
    if fax_ok:
        fax_extension = data.fax_extension.strip()
        if fax_extension and not is_extension(fax_extension):
            errors["fax_extension"] = _("An extension has 2 to 10 digits.")
        values.update(fax_enabled=data.fax_enabled, fax_extension=fax_extension,
                      fax_number=_number(data.fax_number, "fax_number", region, errors, data.fax_enabled))
    if errors:
        # A browser never sends a file again by itself: say so on each good file that was not stored either.
        for kind in data.greeting_files:
            errors.setdefault(f"{kind}_greeting_file", _("Nothing was saved: choose this file again."))
        raise VoicemailInvalid(errors)
    return values


def save_settings(user: User, data: VoicemailInput) -> VoicemailSettings:
    """Store the settings if the page was up to date (``StaleSettings`` otherwise) and every value is valid.
    The row is created by the first save (the page showed the defaults, version 1, without storing them)."""
    settings = db.session.get(VoicemailSettings, user.id)
    shown = settings or get_settings(user)
    if shown.version != data.version:
        raise StaleSettings(shown)
    values = _checked(user, data)
    if settings is None:
        # First save: store the defaults the page showed (version 1), then change them like any later save.
        settings = VoicemailSettings(user_id=user.id)
        try:
            with db.session.begin_nested():
                db.session.add(settings)
        except IntegrityError:  # another request saved first: this page is out of date
            raise StaleSettings(get_settings(user)) from None
    # The version check is part of the UPDATE (errors.StalePage): of two requests racing, one matches. The
    # ORM UPDATE brings the session's copy of the row up to date. It comes before the greetings, so that a
    # stale page stores nothing: the 409 page is drawn in this transaction and must not show its files.
    result = db.session.execute(
        update(VoicemailSettings)
        .where(VoicemailSettings.user_id == user.id, VoicemailSettings.version == data.version)
        .values(**values, version=data.version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleSettings(get_settings(user))  # nothing is committed: the request answers 409
    for kind, (file_name, content) in data.greeting_files.items():
        _store_greeting(user, GreetingKind(kind), file_name, content)
    return settings


# --- greetings ---------------------------------------------------------------------------------


class GreetingRefused(DomainError, ValueError):
    """The uploaded greeting is refused (the message says why)."""


def greeting_problem(data: bytes) -> str | None:
    """Why this content cannot be a greeting (empty, too large, not WAV), or None when it can."""
    if not data:
        return _("Choose a file.")
    if len(data) > MAX_GREETING_BYTES:
        return _("The greeting is larger than %(size)s KB.", size=format_decimal(MAX_GREETING_BYTES // 1024))
    try:
        inspect_wav(data)
    except NotWav:
        return _("This file is not a WAV audio file.")
    return None


def upload_greeting(user: User, kind: GreetingKind, file_name: str, data: bytes) -> VoicemailGreeting:
    """Keep a custom greeting (replacing the previous one of that kind) if its content is a WAV file; the
    settings page sends greetings with its settings (``save_settings``), this stores one on its own."""
    problem = greeting_problem(data)
    if problem:
        raise GreetingRefused(problem)
    return _store_greeting(user, kind, file_name, data)


def _store_greeting(user: User, kind: GreetingKind, file_name: str, data: bytes) -> VoicemailGreeting:
    """Add or replace the greeting of that kind in the current transaction (content already checked)."""
    info = inspect_wav(data)
    greeting = db.session.scalar(
        select(VoicemailGreeting).where(VoicemailGreeting.user_id == user.id, VoicemailGreeting.kind == kind.value)
    )
    if greeting is None:
        greeting = VoicemailGreeting(user_id=user.id, kind=kind.value)
        db.session.add(greeting)
    greeting.file_name = (file_name or "greeting.wav")[-255:]
    greeting.audio = data
    greeting.size = len(data)
    greeting.duration_ms = info.duration_ms
    greeting.uploaded_at = utcnow()
    return greeting


def greeting_audio(user: User, kind: GreetingKind) -> VoicemailGreeting | None:
    """Only the signed-in user's own greeting: the query is bound to their id, whatever the URL says."""
    return db.session.scalar(
        select(VoicemailGreeting).where(VoicemailGreeting.user_id == user.id, VoicemailGreeting.kind == kind.value)
    )


def delete_greeting(user: User, kind: GreetingKind) -> None:
    """Remove the custom greeting; calls then hear the default one again."""
    settings = db.session.get(VoicemailSettings, user.id)  # none stored: the default greeting already
    column = "busy_greeting" if kind == GreetingKind.BUSY else "no_answer_greeting"
    if settings is not None and getattr(settings, column) != Greeting.DEFAULT:
        # A settings page opened before offers the removed greeting: out of date. The version moves in the
        # statement itself, so that a save racing this one cannot end on the same version.
        db.session.execute(update(VoicemailSettings).where(VoicemailSettings.user_id == user.id)
                           .values({column: Greeting.DEFAULT.value, "version": VoicemailSettings.version + 1}))
    db.session.execute(
        delete(VoicemailGreeting).where(VoicemailGreeting.user_id == user.id, VoicemailGreeting.kind == kind.value)
    )
