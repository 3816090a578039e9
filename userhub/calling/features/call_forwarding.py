"""Call Forwarding ("Renvoi d'appel"): all calls, when busy, when no answer (2 to 20 rings, 3 by
default), business continuity; each to a number or extension, optionally to its voicemail (reference 3)."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from ...i18n import lazy_gettext as _l
from ..numbers import CallingNumberField, display_number
from ..registry import Feature, FeatureForm, register, require

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
    always_to_voicemail = BooleanField(_l("Send to voicemail"))
    always_ring_reminder = BooleanField(_l("Play a ring reminder when a call is forwarded"))
    busy_enabled = BooleanField(_l("Forward calls when I am busy"))
    busy_destination = CallingNumberField(_l("Forward to"))
    busy_to_voicemail = BooleanField(_l("Send to voicemail"))
    no_answer_enabled = BooleanField(_l("Forward calls when I do not answer"))
    no_answer_destination = CallingNumberField(_l("Forward to"))
    no_answer_rings = IntegerField(_l("Number of rings"), default=3,
                                   validators=[InputRequired(_l("Enter a number of rings between 2 and 20.")), RINGS],
                                   render_kw={"min": 2, "max": 20})
    no_answer_to_voicemail = BooleanField(_l("Send to voicemail"))
    business_continuity_enabled = BooleanField(_l("Forward calls when my phone is not connected"))
    business_continuity_destination = CallingNumberField(_l("Forward to"))
    business_continuity_to_voicemail = BooleanField(_l("Send to voicemail"))


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

    def check(self, form: Form, owner: object) -> bool:
        valid = True
        for group in GROUPS:
            if getattr(form, f"{group}_enabled").data:
                destination = getattr(form, f"{group}_destination")
                if not destination.errors:
                    valid = require(bool(destination.data), destination, _l("Enter the number to forward to.")) and valid
        return valid

    def field_label(self, name: str) -> str:
        group = next((g for g in GROUPS if name.startswith(g + "_")), None)
        label = super().field_label(name)
        return f"{GROUPS[group]} – {label}" if group else label


register(CallForwarding())
