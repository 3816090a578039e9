"""Anonymous Call Rejection ("Rejet d'appel anonyme"): refuse callers who hide their number (reference 5)."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import BooleanField

from ...i18n import lazy_gettext as _l
from ..feature import Feature, FeatureForm, register


@dataclass
class Values:
    enabled: bool = False


class Form(FeatureForm):
    enabled = BooleanField(_l("Reject calls from people who block their caller ID"))


class AnonymousCallRejection(Feature[Values, Form]):
    key = "anonymous-call-rejection"
    label = _l("Anonymous Call Rejection")
    access_key = "anonymousCallRejection"
    order = 40
    template = "calling/features/simple.html"


register(AnonymousCallRejection())
