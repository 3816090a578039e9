"""Hoteling ("Hébergement"): use a host phone of the organization as a guest, the association ending
after 1 to 999 hours if I ask (reference 16)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from ...errors import DomainError
from ...accounts.models import User
from ...extensions import db
from ...forms import options
from ...i18n import lazy_gettext as _l
from ..feature import Feature, FeatureForm, names_of, register

HOURS_MESSAGE = _l("Enter a number of hours between 1 and 999.")
NO_HOST = ""


@dataclass
class Values:
    enabled: bool = False
    host_id: str = NO_HOST  # a user of the same organization
    limit_enabled: bool = False  # associationLimitEnabled
    limit_hours: int = 12


class Form(FeatureForm):
    enabled = BooleanField(_l("Let me sign in to a host phone as a guest"))
    host_id = SelectField(_l("Host"), default=NO_HOST)
    limit_enabled = BooleanField(_l("End the association automatically"))
    limit_hours = IntegerField(_l("Association limit (hours)"), default=12,
                               validators=[InputRequired(HOURS_MESSAGE), NumberRange(1, 999, HOURS_MESSAGE)],
                               render_kw={"min": 1, "max": 999})


def _hosts(owner: Any) -> list[tuple[str, str]]:
    people = db.session.scalars(select(User).where(User.organization_id == owner.organization_id,
                                                   User.id != owner.id).order_by(User.last_name, User.first_name))
    return [(str(u.id), u.name_for_display) for u in people]


class Hoteling(Feature[Values, Form]):
    key = "hoteling"
    label = _l("Hoteling")
    access_key = "hoteling"
    order = 140
    template = "calling/features/simple.html"

    def configure(self, form: Form, owner: Any) -> None:
        form.host_id.choices = options([(NO_HOST, _l("No host")), *_hosts(owner)])

    def check(self, form: Form, owner: Any) -> None:
        # The choices hold only people of the owner's organization, so an id from elsewhere is refused.
        if form.enabled.data and not form.host_id.errors and form.host_id.data == NO_HOST:
            raise DomainError(_l("Choose the host."), field=form.host_id.name)

    def history_value(self, name: str, value: Any) -> Any:
        return names_of([value])[0] if name == "host_id" and value else value

    def summary(self, values: Values, criteria: list, region: str | None) -> str:
        if values.enabled and values.limit_enabled:
            return str(_l("for %(n)d hours at most", n=values.limit_hours))
        return ""


register(Hoteling())
