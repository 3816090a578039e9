"""Form helpers shared by every area."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms.fields import SelectChoice


def options(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """Choices of a select or a list of checkboxes from (value, label) pairs (labels may be lazy)."""
    return [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]
