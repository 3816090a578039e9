"""Speed dials of the signed-in user: a two-digit code (00 to 99) for a number or a colleague's extension."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..errors import DomainError
from ..extensions import db
from ..i18n import gettext as _
from ..phones import InvalidPhoneNumber, is_extension, parse_number
from .models import DESCRIPTION_LENGTH, SpeedDial


class SpeedDialInvalid(DomainError, ValueError):
    """Field name -> message; nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(fields=errors)
        self.errors = errors  # field -> first message, for services that gather several checks


def parse_code(text: str) -> int:
    """Exactly two digits. A single digit ("7") is refused rather than read as "07": on the phone the
    code is always dialled with two digits, and 2-9 alone are the codes of the eight-entry speed dial."""
    text = (text or "").strip()
    if len(text) != 2 or not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)


def resolve_destination(user: User, text: str) -> tuple[str | None, str | None]:
    """(E.164 number, None) or (None, extension): an extension must be one of the organization's."""
    text = (text or "").strip()
    if is_extension(text):
        if db.session.scalar(select(User.id).where(User.organization_id == user.organization_id,
                                                   User.extension == text)):
            return None, text
    try:
        return parse_number(text, user.location.country if user.location else None), None
    except InvalidPhoneNumber:
        pass
    if text.isascii() and text.isdigit() and len(text) <= 10:
        raise SpeedDialInvalid({"destination": _("No one in your organization has extension %(extension)s.",
                                                 extension=text)})
    raise SpeedDialInvalid({"destination": _("Enter a phone number or an extension of your organization.")})


def speed_dials(user: User) -> list[SpeedDial]:
    return list(db.session.scalars(select(SpeedDial).where(SpeedDial.user_id == user.id).order_by(SpeedDial.code)))


def add_speed_dial(user: User, code_text: str, destination: str, description: str) -> SpeedDial:
    errors: dict[str, str] = {}
    code: int | None = None
    try:
        code = parse_code(code_text)
    except ValueError:
        errors["code"] = _("Enter a code of two digits, from 00 to 99 (for example 07).")
    if code is not None and db.session.scalar(
        select(SpeedDial.id).where(SpeedDial.user_id == user.id, SpeedDial.code == code)
    ):
        errors["code"] = _("You already use code %(code)s.", code=f"{code:02d}")
    number = extension = None
    try:
        number, extension = resolve_destination(user, destination)
    except SpeedDialInvalid as invalid:
        errors.update(invalid.errors)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_LENGTH:
        errors["description"] = _("At most %(count)s characters.", count=DESCRIPTION_LENGTH)
    if errors:
        raise SpeedDialInvalid(errors)
    entry = SpeedDial(user_id=user.id, code=code, number=number, extension=extension, description=description)
    try:
        with db.session.begin_nested():  # flushed now: a race on the code undoes this entry only
            db.session.add(entry)
    except IntegrityError:  # the same code saved at the same moment from another window
        raise SpeedDialInvalid({"code": _("You already use code %(code)s.", code=f"{code:02d}")}) from None
    return entry


def delete_speed_dial(user: User, speed_dial_id: int) -> bool:
    """Only the user's own entry is deleted, whatever id is sent."""
    result = db.session.execute(delete(SpeedDial).where(SpeedDial.id == speed_dial_id, SpeedDial.user_id == user.id))
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE/DELETE returns a CursorResult
