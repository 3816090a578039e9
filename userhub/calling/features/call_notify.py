"""Call Notify ("Notification d'appel"): an email for calls that match the criteria (reference 6)."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import BooleanField, EmailField
from wtforms.validators import Length, ValidationError

from ...errors import DomainError
from ...accounts.emails import InvalidEmail, normalise_email
from ...i18n import lazy_gettext as _l
from ..saved_criteria import CriteriaKind
from ..feature import Feature, FeatureForm, register


def _email(form: object, field: EmailField) -> None:
    if field.data:
        try:
            field.data = normalise_email(field.data)
        except InvalidEmail as exc:
            raise ValidationError(str(exc)) from exc


@dataclass
class Values:
    enabled: bool = False
    email: str = ""


class Form(FeatureForm):
    enabled = BooleanField(_l("Send me an email for the calls of my rules"))
    email = EmailField(_l("Email address"), validators=[Length(max=254), _email],
                       filters=[lambda v: v.strip() if v else v])


class CallNotify(Feature[Values, Form]):
    key = "call-notify"
    label = _l("Call Notify")
    access_key = "callNotify"
    order = 50
    template = "calling/features/criteria_feature.html"
    criteria = CriteriaKind(_l("Notify me"), _l("Don't notify me"))

    def summary(self, values: Values, criteria: list, region: str | None) -> str:
        return values.email if values.enabled else ""

    def check(self, form: Form, owner: object) -> None:
        if form.enabled.data and not form.email.errors and not form.email.data:
            raise DomainError(_l("Enter the email address to notify."), field=form.email.name)


register(CallNotify())
