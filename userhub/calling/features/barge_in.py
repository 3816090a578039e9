"""Barge-in ("Intervention"): let colleagues join my active calls, with a warning tone (reference 14)."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import BooleanField

from ...i18n import lazy_gettext as _l
from ..feature import Feature, FeatureForm, register


@dataclass
class Values:
    enabled: bool = False
    tone: bool = True  # toneEnabled: the people on the call hear a tone when someone barges in


class Form(FeatureForm):
    enabled = BooleanField(_l("Allow other people to barge in on my calls"))
    tone = BooleanField(_l("Play a tone when someone barges in"))


class BargeIn(Feature[Values, Form]):
    key = "barge-in"
    label = _l("Barge-in")
    access_key = "bargeIn"
    order = 120
    template = "calling/features/simple.html"


register(BargeIn())
