"""Call Forwarding ("Renvoi d'appel"): all calls, when busy, when no answer (2 to 20 rings, 3 by
default), business continuity; each to a number or extension, optionally to its voicemail (reference 3)."""

from __future__ import annotations

from dataclasses import dataclass

from typing import Any

from wtforms import BooleanField, IntegerField, RadioField
from wtforms.validators import InputRequired, NumberRange

from ...errors import DomainError
from ...forms import options
from ...i18n import lazy_gettext as _l
from ..numbers import CallingNumberField, display_number
from ..feature import Feature, FeatureForm, register

# "Ring the number" or "straight to that number's voicemail" (destinationVoicemailEnabled): one radio per
# group, so the two can never both be chosen; "y" keeps the value the former checkbox posted.
SEND_CHOICES = options([("n", _l("Ring this number")), ("y", _l("Send straight to this number's voicemail"))])


def send_field() -> RadioField:
    return RadioField(_l("When forwarding"), choices=SEND_CHOICES, default="n",
                      validate_choice=True)

RINGS = NumberRange(2, 20, _l("Enter a number of rings between 2 and 20."))
GROUPS = {
    "always": _l("All calls"),
    "busy": _l("When busy"),
    "no_answer": _l("When no answer"),
    "business_continuity": _l("Business continuity"),
}


@dataclass
class Values:
    always_enabled: bool = False
    always_destination: str = ""
    always_to_voicemail: bool = False
    always_ring_reminder: bool = False  # only "always" has a ring reminder
    busy_enabled: bool = False
    busy_destination: str = ""
    busy_to_voicemail: bool = False
    no_answer_enabled: bool = False
    no_answer_destination: str = ""
    no_answer_rings: int = 3
    no_answer_to_voicemail: bool = False
    business_continuity_enabled: bool = False
    business_continuity_destination: str = ""
    business_continuity_to_voicemail: bool = False


class Form(FeatureForm):
    always_enabled = BooleanField(_l("Forward all calls"))
    always_destination = CallingNumberField(_l("Forward to"))
    always_to_voicemail = send_field()
    always_ring_reminder = BooleanField(_l("Play a ring reminder when a call is forwarded"))
    busy_enabled = BooleanField(_l("Forward calls when I am busy"))
    busy_destination = CallingNumberField(_l("Forward to"))
    busy_to_voicemail = send_field()
    no_answer_enabled = BooleanField(_l("Forward calls when I do not answer"))
    no_answer_destination = CallingNumberField(_l("Forward to"))
    no_answer_rings = IntegerField(_l("Number of rings"), default=3,
                                   validators=[InputRequired(_l("Enter a number of rings between 2 and 20.")), RINGS],
                                   render_kw={"min": 2, "max": 20})
    no_answer_to_voicemail = send_field()
    business_continuity_enabled = BooleanField(_l("Forward calls when my phone is not connected"))
    business_continuity_destination = CallingNumberField(_l("Forward to"))
    business_continuity_to_voicemail = send_field()


class CallForwarding(Feature[Values, Form]):
    key = "call-forwarding"
    label = _l("Call Forwarding")
    access_key = "callForwarding"
    order = 20
    template = "calling/features/call_forwarding.html"

    def is_on(self, values: Values) -> bool:
        return any(getattr(values, f"{group}_enabled") for group in GROUPS)

    def summary(self, values: Values, criteria: list, region: str | None) -> str:
        parts = []
        for group, label in GROUPS.items():
            if getattr(values, f"{group}_enabled"):
                target = display_number(getattr(values, f"{group}_destination"), region)
                parts.append(str(_l("%(when)s to %(number)s", when=label, number=target)))
        return "; ".join(parts)

    def fill(self, form: FeatureForm, values: Any, criteria: list, version: int, owner: Any) -> None:
        super().fill(form, values, criteria, version, owner)
        for group in GROUPS:
            getattr(form, f"{group}_to_voicemail").data = "y" if getattr(values, f"{group}_to_voicemail") else "n"

    def read(self, form: FeatureForm) -> Any:
        values = super().read(form)
        for group in GROUPS:
            setattr(values, f"{group}_to_voicemail", getattr(form, f"{group}_to_voicemail").data == "y")
        return values

    def check(self, form: Form, owner: object) -> None:
        problems = DomainError()
        for group in GROUPS:
            if getattr(form, f"{group}_enabled").data:
                destination = getattr(form, f"{group}_destination")
                if not destination.errors:
                    problems.require(bool(destination.data), destination.name, _l("Enter the number to forward to."))
        problems.raise_if_any()

    def validate(self, form: Form, owner: Any) -> bool:
        valid = super().validate(form, owner)
        # Four groups share the same field names: each message says which group it is about.
        for group, label in GROUPS.items():
            for field in form:
                if field.name.startswith(group + "_") and field.errors:
                    field.errors = [str(_l("%(group)s: %(message)s", group=label, message=e)) for e in field.errors]
                    valid = False
        return valid

    def field_label(self, name: str) -> str:
        group = next((g for g in GROUPS if name.startswith(g + "_")), None)
        label = super().field_label(name)
        return f"{GROUPS[group]} – {label}" if group else label


register(CallForwarding())
