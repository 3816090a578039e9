"""Sequential Ring ("Sonnerie séquentielle"): my phone first (2 to 20 rings), then up to 5 numbers in
order, each 2 to 20 rings (reference 9)."""

from __future__ import annotations

from dataclasses import dataclass, field

from wtforms import BooleanField, FieldList, Form as RowForm, FormField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from ...i18n import lazy_gettext as _l
from ..saved_criteria import CriteriaKind
from ..numbers import CallingNumberField
from ..feature import FeatureForm, register
from ..rows import NumberRows

RINGS_MESSAGE = _l("Enter a number of rings between 2 and 20.")


@dataclass
class Values:
    enabled: bool = False
    ring_own_devices_first: bool = False  # ringBaseLocationFirstEnabled
    own_devices_rings: int = 3
    continue_if_busy: bool = False
    caller_may_skip_to_voicemail: bool = False  # callsToVoicemailEnabled: the caller presses #
    numbers: list[dict] = field(default_factory=list)  # {phone_number, answer_confirmation, rings}


class NumberForm(RowForm):
    phone_number = CallingNumberField(_l("Phone number"))
    answer_confirmation = BooleanField(_l("Answer confirmation"))
    rings = IntegerField(_l("Number of rings"), default=3,
                         validators=[InputRequired(RINGS_MESSAGE), NumberRange(2, 20, RINGS_MESSAGE)],
                         render_kw={"min": 2, "max": 20})


class Form(FeatureForm):
    enabled = BooleanField(_l("Ring these numbers one after the other"))
    ring_own_devices_first = BooleanField(_l("Ring my own phones first"))
    own_devices_rings = IntegerField(_l("Number of rings on my phones"), default=3,
                                     validators=[InputRequired(RINGS_MESSAGE), NumberRange(2, 20, RINGS_MESSAGE)],
                                     render_kw={"min": 2, "max": 20})
    continue_if_busy = BooleanField(_l("Continue to the next number if my phone is busy"))
    caller_may_skip_to_voicemail = BooleanField(_l("Let callers press # to reach my voicemail"))
    numbers = FieldList(FormField(NumberForm), label=_l("Numbers"))


class SequentialRing(NumberRows[Values, Form]):
    key = "sequential-ring"
    label = _l("Sequential Ring")
    access_key = "sequentialRing"
    order = 80
    row_columns = ("phone_number", "rings", "answer_confirmation")
    template = "calling/features/ring_numbers.html"
    criteria = CriteriaKind(_l("Ring"), _l("Don't ring"))
    row_lists = ("numbers",)
    max_rows = 5


register(SequentialRing())
