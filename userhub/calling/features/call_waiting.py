"""Call Waiting ("Appel en attente"): a tone announces a second call during a call (reference 4)."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import BooleanField

from ...i18n import lazy_gettext as _l
from ..feature import Feature, FeatureForm, register


@dataclass
class Values:
    enabled: bool = True  # Webex turns call waiting on for new users


class Form(FeatureForm):
    enabled = BooleanField(_l("Let me answer or ignore a second call while I am on a call"))


class CallWaiting(Feature[Values, Form]):
    key = "call-waiting"
    label = _l("Call Waiting")
    access_key = "callWaiting"
    order = 30
    template = "calling/features/simple.html"


register(CallWaiting())
