"""The settings history worded for a reader: each change as "field: before → after", with the labels and
formats of the feature's own page (a choice by its label, a person by name, a number in the reader's
format, a row of numbers with its own fields named)."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, FieldList, FormField, SelectField, SelectMultipleField

from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from . import registry
from .models import CallingHistory
from .numbers import display_number, region_of

EMPTY = "—"


def _unbound(form_class: Any, name: str) -> Any:
    return getattr(form_class, name, None)


def _label(unbound: Any, name: str) -> str:
    label = unbound.kwargs.get("label") or (unbound.args[0] if unbound.args else name)
    return str(label)


def _choices(unbound: Any) -> dict[str, str]:
    """The labels of a field's fixed choices (those set when a page is built are named by the feature)."""
    if unbound is None or not issubclass(unbound.field_class, (SelectField, SelectMultipleField)):
        return {}
    found = {}
    for choice in unbound.kwargs.get("choices") or []:
        value, label = (choice.value, choice.label) if hasattr(choice, "value") else (choice[0], choice[1])
        found[str(value)] = str(label)
    return found


def _row_form(unbound: Any) -> Any:
    """The form class of one row of a FieldList(FormField(RowForm)), or None."""
    if unbound is None or not issubclass(unbound.field_class, FieldList) or not unbound.args:
        return None
    inner = unbound.args[0]
    if getattr(inner, "field_class", None) is not None and issubclass(inner.field_class, FormField) and inner.args:
        return inner.args[0]
    return None


def _word(value: Any, region: str | None, choices: dict[str, str] | None = None, row_form: Any = None) -> str:
    if isinstance(value, bool):
        return str(_l("On") if value else _l("Off"))
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if choices and str(value) in choices:
        return choices[str(value)]
    if isinstance(value, str):
        return display_number(value, region) if value.startswith("+") else value
    if isinstance(value, list):
        return ", ".join(_word(item, region, choices, row_form) for item in value)
    if isinstance(value, dict):
        return _row(value, region, row_form)
    return str(value)


def _row(value: dict[str, Any], region: str | None, row_form: Any) -> str:
    """A row of numbers as "06 33 44 55 66 (Number of rings: 3, Answer confirmation: On)"."""
    number = value.get("phone_number")
    details = []
    for name, item in value.items():
        if name == "phone_number":
            continue
        unbound = _unbound(row_form, name) if row_form is not None else None
        if unbound is None:
            continue  # a stored key the page does not show
        if issubclass(unbound.field_class, BooleanField) and not item:
            continue  # an unticked box says nothing
        details.append(_("%(label)s: %(value)s", label=_label(unbound, name), value=_word(item, region)))
    head = display_number(number, region) if number else EMPTY
    return _("%(number)s (%(details)s)", number=head, details=", ".join(details)) if details else head


def render_changes(entries: list[CallingHistory], reader: Any) -> list[dict[str, Any]]:
    region = region_of(reader)
    result = []
    for entry in entries:
        feature = registry.get(entry.feature)
        label = feature.label if feature else entry.feature
        changes = []
        for name, before, after in entry.changes:
            if name == "criteria":
                field, choices, row_form = _l("Rules"), None, None
            elif feature is not None:
                unbound = _unbound(feature.Form, name)
                field, choices, row_form = feature.field_label(name), _choices(unbound), _row_form(unbound)
                before, after = feature.history_value(name, before), feature.history_value(name, after)
            else:
                field, choices, row_form = name, None, None
            changes.append((field, _word(before, region, choices, row_form), _word(after, region, choices, row_form)))
        result.append({"when": entry.changed_at, "who": entry.changed_by_name, "feature": label, "changes": changes})
    return result
