"""Personal contacts of the signed-in user: save, search, delete, vCard import (all or nothing) and export."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select

from ..accounts.models import User
from ..errors import DomainError
from ..extensions import db
from ..i18n import gettext as _
from ..phones import InvalidPhoneNumber, parse_number
from ..search import containing
from . import vcard
from .models import MAX_NUMBERS_PER_CONTACT, NAME_LENGTH, Contact, ContactNumber, NumberType

MAX_IMPORT_BYTES = 512 * 1024
MAX_CONTACTS = 2000  # per user, so that one import cannot fill the database


class ContactInvalid(DomainError, ValueError):
    """Field name (``name``, ``numbers-<i>-number``) -> message; nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(fields=errors)
        self.errors = errors  # field -> first message, for services that gather several checks


@dataclass
class NumberInput:
    kind: str
    text: str


def _region(user: User) -> str | None:
    return user.location.country if user.location else None


def _owned(user: User, contact_id: int) -> Contact | None:
    return db.session.scalar(select(Contact).where(Contact.id == contact_id, Contact.user_id == user.id))


def get_contact(user: User, contact_id: int) -> Contact | None:
    return _owned(user, contact_id)


def search_contacts(user: User, query: str = "", limit: int = 200) -> list[Contact]:
    """By a piece of the name (any case) or of a number, typed the way people type numbers."""
    statement = select(Contact).where(Contact.user_id == user.id)
    query = (query or "").strip()[:100]
    if query:
        conditions = [containing(Contact.name, query)]
        digits = "".join(c for c in query if c.isdigit())
        if len(digits) >= 3:
            try:  # a whole number in any format
                conditions.append(Contact.numbers.any(ContactNumber.number == parse_number(query, _region(user))))
            except InvalidPhoneNumber:
                pass
            # a piece of a number: the national trunk "0" is not in E.164
            conditions.append(Contact.numbers.any(ContactNumber.number.contains(digits.lstrip("0") or digits)))
        statement = statement.where(or_(*conditions))
    return list(db.session.scalars(statement.order_by(func.lower(Contact.name), Contact.id).limit(limit)))


def _checked_numbers(user: User, numbers: list[NumberInput], errors: dict[str, str]) -> list[tuple[str, str]]:
    result = []
    for index, entry in enumerate(numbers):
        if not entry.text.strip():
            continue
        if entry.kind not in set(NumberType):
            errors[f"numbers-{index}-kind"] = _("Choose a type.")
            continue
        try:
            result.append((entry.kind, parse_number(entry.text, _region(user))))
        except InvalidPhoneNumber:
            errors[f"numbers-{index}-number"] = _("“%(number)s” is not a valid phone number.",
                                                  number=entry.text.strip()[:40])
    if len(result) > MAX_NUMBERS_PER_CONTACT:
        errors["numbers"] = _("A contact has at most %(count)s numbers.", count=MAX_NUMBERS_PER_CONTACT)
    return result


def _count(user: User) -> int:
    return db.session.scalar(select(func.count(Contact.id)).where(Contact.user_id == user.id)) or 0


def save_contact(user: User, name: str, numbers: list[NumberInput], contact_id: int | None = None) -> Contact:
    """Create a contact, or replace the name and numbers of one of the user's own contacts."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Enter a name.")
    elif len(name) > NAME_LENGTH:
        errors["name"] = _("At most %(count)s characters.", count=NAME_LENGTH)
    checked = _checked_numbers(user, numbers, errors)
    contact = None
    if contact_id is not None:
        contact = _owned(user, contact_id)
        if contact is None:
            raise LookupError(contact_id)
    elif _count(user) >= MAX_CONTACTS:
        errors["name"] = _("You have reached the limit of %(count)s contacts.", count=MAX_CONTACTS)
    if errors:
        raise ContactInvalid(errors)
    if contact is None:
        contact = Contact(user_id=user.id, name=name)
        db.session.add(contact)
    contact.name = name
    contact.numbers.clear()
    db.session.flush()  # the old positions are free before the new ones are written
    contact.numbers.extend(ContactNumber(position=i, kind=k, number=n) for i, (k, n) in enumerate(checked))
    db.session.flush()  # its id, for the page the caller goes to
    return contact


def delete_contact(user: User, contact_id: int) -> bool:
    result = db.session.execute(delete(Contact).where(Contact.id == contact_id, Contact.user_id == user.id))
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE/DELETE returns a CursorResult


# --- vCard ---------------------------------------------------------------------------------------


def import_vcards(user: User, data: bytes) -> int:
    """Add every card of the file, or none: ``vcard.VCardError`` lists each problem with its line."""
    if len(data) > MAX_IMPORT_BYTES:
        raise vcard.VCardError([vcard.Problem(0, _("The file is larger than %(size)s KB.",
                                                   size=MAX_IMPORT_BYTES // 1024))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise vcard.VCardError([vcard.Problem(0, _("The file is not UTF-8 text."))]) from None
    cards, problems = vcard.read_vcards(text, MAX_NUMBERS_PER_CONTACT, NAME_LENGTH)
    ready = []
    for card in cards:
        numbers = []
        for entry in card.numbers:
            try:
                numbers.append((entry.kind, parse_number(entry.text, _region(user))))
            except InvalidPhoneNumber:
                problems.append(vcard.Problem(entry.line, _("“%(number)s” is not a valid phone number.",
                                                            number=entry.text.strip()[:40])))
        ready.append((card.name, numbers))
    if _count(user) + len(ready) > MAX_CONTACTS:
        problems.append(vcard.Problem(0, _("You have reached the limit of %(count)s contacts.", count=MAX_CONTACTS)))
    if problems:
        raise vcard.VCardError(sorted(problems, key=lambda p: p.line))
    for name, numbers in ready:
        contact = Contact(user_id=user.id, name=name)
        contact.numbers = [ContactNumber(position=i, kind=k, number=n) for i, (k, n) in enumerate(numbers)]
        db.session.add(contact)
    return len(ready)


def export_vcards(user: User) -> str:
    contacts = search_contacts(user, limit=MAX_CONTACTS)
    return vcard.export_vcards((c.name, [(n.kind, n.number) for n in c.numbers]) for c in contacts)
