"""Lists of numbers typed as table rows (simultaneous ring, sequential ring, single number reach):
one row per number plus a blank one; a blank row is ignored; the limit is checked on the server."""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import DomainError
from ..i18n import lazy_gettext as _l
from .numbers import CallingNumberField, display_number
from .feature import F, Feature, FeatureForm, V


class NumberRows(Feature[V, F]):
    max_rows: int | None = None
    row_columns: tuple[str, ...] = ("phone_number",)
    row_lists: ClassVar[tuple[str, ...]] = ("numbers",)

    def fill_rows(self, form: FeatureForm, values: Any, region: str | None) -> None:
        rows = form.numbers
        for item in values.numbers:
            entry = rows.append_entry().form
            for name, value in item.items():
                field = getattr(entry, name, None)
                if field is not None:
                    field.data = display_number(value, region) if isinstance(field, CallingNumberField) else value
        if self.max_rows is None or len(rows) < self.max_rows:
            rows.append_entry()

    def read(self, form: FeatureForm) -> Any:
        values: Any = super().read(form)  # a Values with a ``numbers`` list
        values.numbers = [
            {name: field.data for name, field in entry.form._fields.items()}
            for entry in form.numbers
            if entry.form.phone_number.data
        ]
        return values

    def check(self, form: FeatureForm, owner: object) -> None:
        filled = [entry.form for entry in form.numbers if entry.form.phone_number.data]
        problems = DomainError()
        if self.max_rows is not None and len(filled) > self.max_rows:
            extra = filled[self.max_rows].phone_number
            problems.add(extra.name, _l("You can enter up to %(n)d numbers.", n=self.max_rows))
        seen: set[str] = set()
        for row in filled:
            if row.phone_number.data in seen and not row.phone_number.errors:
                problems.add(row.phone_number.name, _l("This number is already in the list."))
            seen.add(row.phone_number.data)
        problems.raise_if_any()
        self.check_more(form, owner)

    def check_more(self, form: FeatureForm, owner: object) -> None:
        """The feature's own rules about its rows; raise a ``DomainError`` naming the fields."""

    def summary(self, values: Any, criteria: list, region: str | None) -> str:
        return ", ".join(display_number(item["phone_number"], region) for item in values.numbers)
