"""Block caller ID for forwarded calls: whose identity the caller sees when I forward a call.
The reference (15c) names three levels; "on" here is privacy for all forwarded calls."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import SelectField

from ...forms import options
from ...i18n import lazy_gettext as _l
from ..feature import Feature, FeatureForm, register

LEVELS = {
    "no_privacy": _l("Off: the caller sees the number the call was forwarded to"),
    "external": _l("For external calls: external callers see only my number"),
    "all": _l("For all calls: every caller sees only my number"),
}


@dataclass
class Values:
    privacy: str = "no_privacy"  # connectedLineIdPrivacyOnRedirectedCalls


class Form(FeatureForm):
    privacy = SelectField(_l("Block caller ID for forwarded calls"), choices=options(LEVELS.items()))


class BlockCallerId(Feature[Values, Form]):
    key = "block-caller-id"
    label = _l("Block caller ID for forwarded calls")
    access_key = "blockCallerId"
    order = 130
    template = "calling/features/simple.html"

    def is_on(self, values: Values) -> bool:
        return values.privacy != "no_privacy"

    def summary(self, values: Values, criteria: list, region: str | None) -> str:
        return str(LEVELS.get(values.privacy, "")) if self.is_on(values) else ""


register(BlockCallerId())
