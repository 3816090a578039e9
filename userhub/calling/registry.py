"""The feature registry: every calling feature, in the order of the overview, or one by its key; and
the error summary of a feature's page.

It stands above the feature modules: importing it imports ``features``, the one list of them, and each
registers its unit (``feature.register``) as it is imported."""

from __future__ import annotations

from typing import Any

from wtforms import FieldList, FormField

from . import features as _units  # noqa: F401  (each feature module registers itself)
from .feature import Feature, registered


def features() -> list[Feature[Any, Any]]:
    return sorted(registered.values(), key=lambda f: f.order)


def get(key: str) -> Feature[Any, Any] | None:
    return registered.get(key)


def flat_errors(form: Any) -> list[tuple[str, str, str]]:
    """(field id, label, first message) of every wrong field, rows included, for the error summary; the
    form-level messages (``errors.show_on``: about no field of this form) first, with no id nor label."""
    found: list[tuple[str, str, str]] = [("", "", str(m)) for m in getattr(form, "form_errors", ())]
    for field in form:
        if isinstance(field, FormField):
            found.extend(flat_errors(field.form))
        elif isinstance(field, FieldList):
            for entry in field.entries:
                found.extend(flat_errors(entry.form) if isinstance(entry, FormField) else flat_errors([entry]))
        elif field.errors and field.type != "CSRFTokenField":
            found.append((field.id, str(field.label.text), str(field.errors[0])))
    return found
