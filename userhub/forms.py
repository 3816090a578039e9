"""Form helpers shared by every area."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields import SelectChoice

# A form shown again because of its errors (a field's or the whole form's): the request's edge does not
# commit it (userhub/unit_of_work.py), and scripts and tests can tell it from a page (ARCHITECTURE.md, Errors).
INVALID = 400


def options(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """Choices of a select or a list of checkboxes from (value, label) pairs (labels may be lazy)."""
    return [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]


def status_of(*forms: Any) -> int:
    """The status of a page showing ``forms``: ``INVALID`` when one of them holds errors (it is shown again
    because of invalid input), 200 otherwise. ``None`` stands for a form the page does not show."""
    return INVALID if any(form is not None and form.errors for form in forms) else 200
