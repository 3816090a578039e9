"""The one error contract from the domain to the forms.

A service that refuses input raises a ``DomainError`` (or a subclass named after the rule): localized
messages by field name, plus messages about the form as a whole. A view puts them on its form with
``show_on(form, error)`` and shows the page again; it never copies messages by hand. A field name the form
does not have goes to the form-level errors shown at the top of the page, so that no message is lost.

No Flask here and no database: messages are whatever the caller translated (lazy or not), turned into
text only when the page is rendered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from wtforms import FieldList, FormField

# What a message may be: a str, or a lazy string translated when shown.
Message = object


class DomainError(Exception):
    """Input refused by a rule of the domain. ``field_errors``: field name -> messages (a field of a row is
    named as WTForms names it, e.g. ``numbers-2-number``); ``form_errors``: messages about no one field.

    ``DomainError(message)`` is a form-level refusal; ``DomainError(message, field="email")`` ties it to a
    field; ``DomainError(fields={"code": [...], "name": "..."})`` names several. Checks that collect every
    problem before refusing use ``add``/``require`` then ``raise_if_any``."""

    def __init__(self, *messages: Message, field: str | None = None,
                 fields: Mapping[str, Message | Iterable[Message]] | None = None) -> None:
        self.field_errors: dict[str, list[Message]] = {}
        self.form_errors: list[Message] = []
        for name, found in (fields or {}).items():
            for message in _as_list(found):
                self.add(name, message)
        for message in messages:
            self.add(field, message)
        super().__init__(*messages)

    def add(self, field: str | None, message: Message) -> DomainError:
        """One more message, on ``field`` (None: about the whole form)."""
        if field is None:
            self.form_errors.append(message)
        else:
            self.field_errors.setdefault(field, []).append(message)
        return self

    def require(self, condition: bool, field: str | None, message: Message) -> bool:
        """Add ``message`` unless ``condition`` holds; returns ``condition`` (for ``valid = ... and valid``)."""
        if not condition:
            self.add(field, message)
        return condition

    def merge(self, other: DomainError) -> DomainError:
        for name, messages in other.field_errors.items():
            for message in messages:
                self.add(name, message)
        self.form_errors.extend(other.form_errors)
        return self

    def renamed(self, names: Mapping[str, str]) -> DomainError:
        """The same messages with fields renamed as a form names them (``{"phone_number": "number"}``)."""
        return DomainError(*self.form_errors, fields={names.get(k, k): v for k, v in self.field_errors.items()})

    def raise_if_any(self) -> None:
        if self:
            raise self

    def __bool__(self) -> bool:
        return bool(self.field_errors or self.form_errors)

    def all_messages(self) -> list[str]:
        """Every message as text, fields first (for a flash message or a log line)."""
        return [str(m) for found in self.field_errors.values() for m in found] + [str(m) for m in self.form_errors]

    def placed_on(self, form: Any) -> Mapping[str, list[Message]]:
        """The field errors as they go on ``form``. A subclass whose field depends on what the form holds
        (the loop check: the field holding the number the loop goes through) overrides this."""
        return self.field_errors

    def __str__(self) -> str:
        found = self.all_messages()
        return found[0] if found else super().__str__()


class StalePage(Exception):
    """The page was loaded before someone else saved: nothing was written. One mechanism for every
    settings page: the form posts the version it was shown with; the service writes with a conditional
    UPDATE on that version (an INSERT guarded by the primary or unique key for a first save) and raises
    this when no row matched. The check is in the statement itself, so it holds whoever commits and
    when (an ORM ``version_id_col`` would raise only at flush or commit, possibly at the request's edge).
    The view shows the page again with the current values, status 409 and ``stale_notice()``
    (templates/_macros.html). ``current``: what is stored now, when the service has it at hand."""

    status = 409

    def __init__(self, current: Any = None) -> None:
        super().__init__("the page is out of date")
        self.current = current


def _as_list(found: Message | Iterable[Message]) -> list[Message]:
    if isinstance(found, str) or not isinstance(found, Iterable):
        return [found]
    return list(found)


def _fields(form: Any) -> Iterator[Any]:
    """Every field of the form, rows and sub-forms included (their names carry the row: numbers-0-number)."""
    for field in form:
        yield field
        if isinstance(field, FormField):
            yield from _fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield entry
                if isinstance(entry, FormField):
                    yield from _fields(entry.form)


def show_on(form: Any, error: DomainError, field: str | None = None) -> None:
    """Put ``error``'s messages on ``form``: each on the field it names, a message already there once only.
    Messages about no field go on ``field`` when given (the view knows which field the refusal is about),
    else to the form-level errors; so do messages naming a field this form does not have."""
    # A field by its name in the posted data (numbers-0-number, busy-greeting_file with a prefix), or a
    # top-level field by its name in the form class.
    by_name = {**{name: f for name, f in getattr(form, "_fields", {}).items()}, **{f.name: f for f in _fields(form)}}
    unplaced: list[Message] = []
    placed: list[str] = []
    for name, messages in error.placed_on(form).items():
        target = by_name.get(name)
        if target is None:
            unplaced.extend(messages)
        else:
            _append(target, messages)
            placed.extend(str(m) for m in messages)
    # an error that places its own form-level message on a field (the loop check) shows it there only
    loose = [m for m in [*error.form_errors, *unplaced] if str(m) not in placed]
    if field is not None and field in by_name and loose:
        _append(by_name[field], loose)
    elif loose:
        form.form_errors = [*form.form_errors, *(m for m in loose if m not in form.form_errors)]


def _append(target: Any, messages: Iterable[Message]) -> None:
    shown = [str(m) for m in target.errors]
    target.errors = [*target.errors, *(m for m in messages if str(m) not in shown)]
