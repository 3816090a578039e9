"""Do Not Disturb ("Ne pas déranger"): every incoming call gets the busy treatment (reference 2)."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import BooleanField

from ...i18n import lazy_gettext as _l
from ..feature import Feature, FeatureForm, register


@dataclass
class Values:
    enabled: bool = False
    ring_reminder: bool = False  # ringSplashEnabled: a short tone on the desk phone while DND is on


class Form(FeatureForm):
    enabled = BooleanField(_l("Turn on Do Not Disturb"))
    ring_reminder = BooleanField(_l("Play a ring reminder on my phone for incoming calls"))


class DoNotDisturb(Feature[Values, Form]):
    key = "do-not-disturb"
    label = _l("Do Not Disturb")
    access_key = "doNotDisturb"
    order = 10
    template = "calling/features/do_not_disturb.html"


register(DoNotDisturb())
