"""Single Number Reach ("Numéro d'appel unique (Office Anywhere)"): other phones of mine that ring
for my calls, each named and switched on or off (reference 7)."""

from __future__ import annotations

from dataclasses import dataclass, field

from wtforms import BooleanField, FieldList, Form as RowForm, FormField, StringField
from wtforms.validators import Length

from ...errors import DomainError
from ...i18n import lazy_gettext as _l
from ..numbers import CallingNumberField
from ..feature import FeatureForm, register
from ..rows import NumberRows


@dataclass
class Values:
    enabled: bool = False
    alert_all_for_click_to_dial: bool = False
    numbers: list[dict] = field(default_factory=list)
    # {phone_number, name, enabled, answer_confirmation (default off), do_not_forward}


class NumberForm(RowForm):
    phone_number = CallingNumberField(_l("Phone number"), extension=False)
    name = StringField(_l("Name"), validators=[Length(max=60)], filters=[lambda v: v.strip() if v else v])
    enabled = BooleanField(_l("On"), default=True)
    answer_confirmation = BooleanField(_l("Answer confirmation"))
    do_not_forward = BooleanField(_l("Ask this phone not to forward my calls"))


class Form(FeatureForm):
    enabled = BooleanField(_l("Ring my other numbers for my calls"))
    alert_all_for_click_to_dial = BooleanField(_l("Alert all my numbers for click-to-dial calls"))
    numbers = FieldList(FormField(NumberForm), label=_l("Numbers"))


class SingleNumberReach(NumberRows[Values, Form]):
    key = "single-number-reach"
    label = _l("Single Number Reach (Office Anywhere)")
    access_key = "singleNumberReach"
    order = 60
    row_columns = ("phone_number", "name", "enabled", "answer_confirmation", "do_not_forward")
    template = "calling/features/single_number_reach.html"

    def check_more(self, form: Form, owner: object) -> None:
        problems = DomainError()
        for entry in form.numbers:
            row = entry.form
            if row.phone_number.data:  # "phoneNumber, name, enabled required on add"
                problems.require(bool(row.name.data), row.name.name, _l("Give this number a name."))
        problems.raise_if_any()


register(SingleNumberReach())
