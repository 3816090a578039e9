"""Executive Assistant ("Assistant de direction", reference 17e): opt in or out for each executive
I assist, and divert the calls they filter to another number."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, FieldList

from ...extensions import db
from ..models import ExecutiveAssistant
from ..numbers import CallingNumberField
from ..registry import Feature, FeatureForm, register, require


@dataclass
class Values:
    forward_filtered_calls: bool = False
    forward_to: str = ""  # mandatory when forward_filtered_calls (reference 17e)
    opted_in: dict[str, bool] = field(default_factory=dict)  # executive id -> opted in; their own table


class Form(FeatureForm):
    forward_filtered_calls = BooleanField(_l("Divert the calls my executives filter"))
    forward_to = CallingNumberField(_l("Divert to"))
    opted_in = FieldList(BooleanField())


class ExecutiveAssistantFeature(Feature):
    key = "executive-assistant"
    label = _l("Executive Assistant")
    access_key = "executive"
    order = 160
    Values = Values
    Form = Form
    template = "calling/features/executive_assistant.html"
    relation_fields = ("opted_in",)

    def is_on(self, values: Values) -> bool:
        return any(values.opted_in.values())

    def attach(self, values: Values, snapshot: Any) -> None:
        values.opted_in = {str(row.executive_id): row.opted_in for row in snapshot.executives}

    def fill_rows(self, form: Form, values: Values, region: str | None) -> None:
        for opted in values.opted_in.values():
            form.opted_in.append_entry(opted)

    def read(self, form: Form) -> Values:
        values = super().read(form)
        values.opted_in = {}  # completed in persist, against the rows that really exist
        values.opted_in_rows = [bool(e.data) for e in form.opted_in]
        return values

    def check(self, form: Form, owner: Any) -> bool:
        if form.forward_filtered_calls.data and not form.forward_to.errors:
            return require(bool(form.forward_to.data), form.forward_to, _l("Enter the number to divert to."))
        return True

    def persist(self, owner: Any, values: Values) -> None:
        rows = db.session.scalars(select(ExecutiveAssistant).where(ExecutiveAssistant.assistant_id == owner.id)
                                  .order_by(ExecutiveAssistant.position, ExecutiveAssistant.id)).all()
        # Rows are matched by position in the page: only the executives this assistant really has.
        for row, opted in zip(rows, getattr(values, "opted_in_rows", []), strict=False):
            row.opted_in = opted
            values.opted_in[str(row.executive_id)] = opted

    def context(self, owner: Any, state: Any) -> dict[str, Any]:
        from ...accounts.models import User

        ids = [int(i) for i in state.values.opted_in]
        names = {u.id: u.name_for_display for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
        return {"executives": [names.get(i, "") for i in ids]}

    def summary(self, values: Values, criteria: list, region: str | None) -> str:
        return str(_l("%(n)d executive(s)", n=len(values.opted_in)))


register(ExecutiveAssistantFeature())
