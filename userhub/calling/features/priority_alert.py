"""Priority Alert ("Alerte prioritaire"): a distinctive ring for calls that match the criteria (reference 13)."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import BooleanField

from ...i18n import lazy_gettext as _l
from ..saved_criteria import CriteriaKind
from ..feature import Feature, FeatureForm, register


@dataclass
class Values:
    enabled: bool = False


class Form(FeatureForm):
    enabled = BooleanField(_l("Use a distinctive ring for the calls of my rules"))


class PriorityAlert(Feature[Values, Form]):
    key = "priority-alert"
    label = _l("Priority Alert")
    access_key = "priorityAlert"
    order = 110
    template = "calling/features/criteria_feature.html"
    criteria = CriteriaKind(_l("Alert"), _l("Don't alert"))


register(PriorityAlert())
