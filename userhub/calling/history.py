"""The settings history worded for a reader: each change as "field: before → after"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db

from . import registry
from ..i18n import lazy_gettext as _l
from .models import CallingHistory
from .numbers import display_number, region_of


def _word(value: Any, region: str | None) -> str:
    if isinstance(value, bool):
        return str(_l("On") if value else _l("Off"))
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, str):
        return display_number(value, region) if value.startswith("+") else value
    if isinstance(value, list):
        return ", ".join(_word(item, region) for item in value)
    if isinstance(value, dict):
        number = value.get("phone_number")
        rest = [str(v) for k, v in value.items() if k not in {"phone_number"} and not isinstance(v, bool)]
        return " ".join([display_number(number, region)] + rest) if number else str(value)
    return str(value)


def render_changes(entries: list[CallingHistory], reader: Any) -> list[dict[str, Any]]:
    region = region_of(reader)
    result = []
    for entry in entries:
        feature = registry.get(entry.feature)
        label = feature.label if feature else entry.feature
        changes = []
        for name, before, after in entry.changes:
            field = _l("Rules") if name == "criteria" else (feature.field_label(name) if feature else name)
            if feature is not None:
                before, after = feature.history_value(name, before), feature.history_value(name, after)
            changes.append((field, _word(before, region), _word(after, region)))
        result.append({"when": entry.changed_at, "who": entry.changed_by_name, "feature": label, "changes": changes})
    return result


def names_of(ids: Any) -> list[str]:
    """Display names of users by id, in the given order (for the history of people lists)."""
    wanted = [int(i) for i in ids or []]
    found = {u.id: u.name_for_display for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}
    return [found.get(i, "?") for i in wanted]
