"""The one number field of every calling feature: typed as people type, stored in E.164 (or as an
extension of the organization where the reference allows one), shown in the reader's format."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from wtforms import Field, FieldList, FormField, StringField, TextAreaField

from ..accounts.models import User
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..phones import InvalidPhoneNumber, format_number, is_extension, parse_number
from ..phones import region_of as region_of  # read from here by the calling and routing pages

MAX_NUMBER_LENGTH = 30  # "maximum length is 30" (reference section 3)


class CallingNumberField(StringField):
    """A destination or a number to ring. ``extension=True`` where the reference accepts extensions;
    ``to_self`` False refuses the owner's own number and extension."""

    def __init__(self, label: object = None, validators: list | None = None, *, extension: bool = True,
                 to_self: bool = False, **kwargs: Any) -> None:
        render_kw = {"autocomplete": "tel", "inputmode": "tel", "maxlength": 40, **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, filters=[_strip], render_kw=render_kw, **kwargs)
        self.allow_extension = extension
        self.allow_self = to_self


class CallingNumberList(TextAreaField):
    """Numbers of a criterion, one per line (no extensions: reference section 0)."""

    def __init__(self, label: object = None, validators: list | None = None, *, limit: int = 12, **kwargs: object):
        super().__init__(label, validators, render_kw={"rows": 3}, **kwargs)
        self.limit = limit
        self.numbers: list[str] = []


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def display_number(value: str | None, region: str | None) -> str:
    """E.164 in the reader's national or international format; an extension as it is."""
    if not value:
        return ""
    return format_number(value, region) if value.startswith("+") else value


def normalise(text: str, owner: User, *, extension: bool, to_self: bool) -> str:
    """E.164 or an existing extension of the owner's organization; raises ValueError with the message."""
    text = text.strip()
    # Extensions have 2 to 10 digits, like some national numbers: an existing extension wins.
    looks_like_extension = extension and is_extension(text)
    if looks_like_extension and text == owner.extension and not to_self:
        raise ValueError(_l("This is your own extension: calls cannot be sent back to you."))
    if looks_like_extension and _extension_exists(owner, text):
        return text
    try:
        e164 = parse_number(text, region_of(owner))
    except InvalidPhoneNumber as exc:
        if looks_like_extension:
            raise ValueError(_l("No one in your organization has the extension %(ext)s.", ext=text)) from exc
        raise ValueError(_l("Enter a valid phone number, for example +33 6 34 33 32 11.")) from exc
    own = owner.phone_number.e164 if owner.phone_number is not None else None
    if e164 == own and not to_self:
        raise ValueError(_l("This is your own number: calls cannot be sent back to you."))
    return e164


def _extension_exists(owner: User, extension: str) -> bool:
    query = select(User.id).where(User.organization_id == owner.organization_id, User.extension == extension)
    return db.session.execute(query.limit(1)).first() is not None


def _number_fields(fields: object) -> Iterator[Field]:
    for field in fields:  # type: ignore[attr-defined]
        if isinstance(field, (CallingNumberField, CallingNumberList)):
            yield field
        elif isinstance(field, FormField):
            yield from _number_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _number_fields([entry])


def check_numbers(form: object, owner: User) -> bool:
    """Parse every number field of ``form`` for ``owner``; replace the data with the stored form and
    tie a message to each wrong field. Returns True when all are right."""
    valid = True
    for field in _number_fields(form):
        try:
            if isinstance(field, CallingNumberList):
                field.numbers = _parse_list(field, owner)
            elif field.data:
                field.data = normalise(field.data, owner, extension=field.allow_extension, to_self=field.allow_self)
        except ValueError as exc:
            field.errors = [*field.errors, str(exc.args[0])]
            valid = False
    return valid


def _parse_list(field: CallingNumberList, owner: User) -> list[str]:
    lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
    if len(lines) > field.limit:
        raise ValueError(_l("Enter at most %(n)d numbers.", n=field.limit))
    numbers = []
    for line in lines:
        try:
            numbers.append(parse_number(line, region_of(owner)))
        except InvalidPhoneNumber as exc:
            raise ValueError(_l("%(text)s is not a valid phone number.", text=line[:40])) from exc
    return list(dict.fromkeys(numbers))
