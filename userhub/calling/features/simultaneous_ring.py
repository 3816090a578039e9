"""Simultaneous Ring ("Sonnerie simultanée"): up to 10 numbers ring with my phone (reference 8)."""

from __future__ import annotations

from dataclasses import dataclass, field

from wtforms import BooleanField, FieldList, Form as RowForm, FormField

from ...i18n import lazy_gettext as _l
from ..saved_criteria import CriteriaKind
from ..numbers import CallingNumberField
from ..feature import FeatureForm, register
from ..rows import NumberRows


@dataclass
class Values:
    enabled: bool = False
    do_not_ring_if_on_call: bool = False
    apply_schedules: bool = False  # criteriasEnabled: "Apply Schedules"
    numbers: list[dict] = field(default_factory=list)  # {phone_number, answer_confirmation}


class NumberForm(RowForm):
    phone_number = CallingNumberField(_l("Phone number"))
    answer_confirmation = BooleanField(_l("Answer confirmation"))


class Form(FeatureForm):
    enabled = BooleanField(_l("Ring these numbers at the same time as my phone"))
    do_not_ring_if_on_call = BooleanField(_l("Do not ring these numbers when I am on a call"))
    numbers = FieldList(FormField(NumberForm), label=_l("Numbers"))
    apply_schedules = BooleanField(_l("Apply my rules"))


class SimultaneousRing(NumberRows[Values, Form]):
    key = "simultaneous-ring"
    label = _l("Simultaneous Ring")
    access_key = "simultaneousRing"
    order = 70
    row_columns = ("phone_number", "answer_confirmation")
    template = "calling/features/ring_numbers.html"
    criteria = CriteriaKind(_l("Ring"), _l("Don't ring"))
    row_lists = ("numbers",)
    max_rows = 10


register(SimultaneousRing())
