"""Selective calls ("Appels sélectifs", reference 10 to 12): accept, reject or forward calls that match
the criteria. Reject wins over accept; selective forward wins over ordinary forwarding. Three small
features on one page family, each with its own feature-access key."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import BooleanField

from ...errors import DomainError
from ...i18n import lazy_gettext as _l
from ..saved_criteria import CriteriaKind
from ..numbers import CallingNumberField, display_number
from ..feature import Feature, FeatureForm, register


@dataclass
class Values:
    enabled: bool = False


class AcceptForm(FeatureForm):
    enabled = BooleanField(_l("Accept only the calls of my rules"))


class RejectForm(FeatureForm):
    enabled = BooleanField(_l("Reject the calls of my rules"))


class SelectiveAccept(Feature):
    key = "selective-accept"
    label = _l("Selective Call Acceptance")
    access_key = "selectivelyAcceptCalls"
    order = 90
    Values = Values
    Form = AcceptForm
    template = "calling/features/criteria_feature.html"
    criteria = CriteriaKind(_l("Accept"), _l("Don't accept"))


class SelectiveReject(SelectiveAccept):
    key = "selective-reject"
    label = _l("Selective Call Rejection")
    access_key = "selectivelyRejectCalls"
    order = 91
    Form = RejectForm
    criteria = CriteriaKind(_l("Reject"), _l("Don't reject"), calls_from=("any", "select", "forwarded"))


@dataclass
class ForwardValues:
    enabled: bool = False
    default_destination: str = ""  # defaultPhoneNumberToForward
    to_voicemail: bool = False
    ring_reminder: bool = False


class ForwardForm(FeatureForm):
    enabled = BooleanField(_l("Forward the calls of my rules"))
    default_destination = CallingNumberField(_l("Default number to forward to"))
    to_voicemail = BooleanField(_l("Send to voicemail"))
    ring_reminder = BooleanField(_l("Play a ring reminder when a call is forwarded"))


class SelectiveForward(Feature):
    key = "selective-forward"
    label = _l("Selective Call Forwarding")
    access_key = "selectivelyForwardCalls"
    order = 92
    Values = ForwardValues
    Form = ForwardForm
    template = "calling/features/criteria_feature.html"
    criteria = CriteriaKind(_l("Forward"), _l("Don't forward"),
                            calls_from=("any", "select", "internal", "external"), forward_to=True)

    def summary(self, values: ForwardValues, criteria: list, region: str | None) -> str:
        return display_number(values.default_destination, region) if values.enabled else ""

    def check(self, form: ForwardForm, owner: object) -> None:
        if form.enabled.data and not form.default_destination.errors and not form.default_destination.data:
            raise DomainError(_l("Enter the number to forward to."), field=form.default_destination.name)


register(SelectiveAccept())
register(SelectiveReject())
register(SelectiveForward())
