"""Executive Assistant ("Assistant de direction", reference 17e): opt in or out for each executive
I assist (opted in by default), and divert the calls they filter to another number."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from wtforms import BooleanField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from ...errors import DomainError
from ...accounts.models import User, name_for_display
from ...extensions import db
from ...forms import options
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...i18n import ngettext
from ..models import ExecutiveAssistant
from ..numbers import CallingNumberField, display_number
from ..feature import Feature, FeatureForm, names_of, register


@dataclass
class Values:
    forward_filtered_calls: bool = False
    forward_to: str = ""  # mandatory when forward_filtered_calls (reference 17e)
    opted_in: list[str] = field(default_factory=list)  # ids of the executives I am opted in for; own table


class Form(FeatureForm):
    opted_in = SelectMultipleField(_l("Executives I assist: I take their calls"), choices=[],
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    forward_filtered_calls = BooleanField(_l("Divert the calls my executives filter"))
    forward_to = CallingNumberField(_l("Divert to"))


def _my_executives(owner: Any) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(User.id, User.display_name, User.first_name, User.last_name, User.email)
        .join(ExecutiveAssistant, ExecutiveAssistant.executive_id == User.id)
        .where(ExecutiveAssistant.assistant_id == owner.id).order_by(User.last_name, User.first_name)
    )
    return [(str(r.id), name_for_display(r.display_name, r.first_name, r.last_name, r.email)) for r in rows]


class ExecutiveAssistantFeature(Feature[Values, Form]):
    key = "executive-assistant"
    label = _l("Executive Assistant")
    access_key = "executive"
    order = 160
    template = "calling/features/simple.html"
    relation_fields = ("opted_in",)

    def is_on(self, values: Values) -> bool:
        # Diverting the filtered calls is this feature at work even when no executive has me opted in.
        return bool(values.opted_in) or values.forward_filtered_calls

    def configure(self, form: Form, owner: Any) -> None:
        form.opted_in.choices = options(_my_executives(owner))

    def attach(self, values: Values, snapshot: Any) -> None:
        values.opted_in = [str(row.executive_id) for row in snapshot.executives if row.opted_in]

    def read(self, form: Form) -> Values:
        values = super().read(form)
        values.opted_in = list(form.opted_in.data or [])  # only ids among my executives (choices)
        return values

    def check(self, form: Form, owner: Any) -> None:
        if form.forward_filtered_calls.data and not form.forward_to.errors and not form.forward_to.data:
            raise DomainError(_l("Enter the number to divert to."), field=form.forward_to.name)

    def persist(self, owner: Any, values: Values) -> None:
        rows = db.session.scalars(select(ExecutiveAssistant).where(ExecutiveAssistant.assistant_id == owner.id))
        for row in rows:
            row.opted_in = str(row.executive_id) in values.opted_in

    def history_value(self, name: str, value: Any) -> Any:
        return names_of(value) if name == "opted_in" else value

    def summary(self, values: Values, criteria: list, region: str | None) -> str:
        parts = []
        if values.opted_in:
            parts.append(ngettext("opted in for %(num)d executive", "opted in for %(num)d executives",
                                  len(values.opted_in)))
        if values.forward_filtered_calls and values.forward_to:
            parts.append(_("filtered calls diverted to %(number)s", number=display_number(values.forward_to, region)))
        return "; ".join(parts)


register(ExecutiveAssistantFeature())
