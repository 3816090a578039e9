"""Executive ("Cadre de direction", reference 17): assistants of the same organization and location
who handle my calls, how they are alerted and which caller ID they see, rollover, call filtering with
criteria, and screening (an alert on my own phones when an assistant handles a filtered call)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from wtforms import BooleanField, FieldList, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from ...errors import DomainError
from ...accounts.models import User
from ...extensions import db
from ...forms import options
from ...i18n import lazy_gettext as _l
from ...i18n import ngettext
from ..saved_criteria import CriteriaKind
from ..models import ExecutiveAssistant
from ..numbers import CallingNumberField
from ..feature import Feature, FeatureForm, names_of, register

MAX_ASSISTANTS = 10  # no limit in the sources (gap); a team choice that keeps the page short
ALERTING = {"sequential": _l("One after the other"), "simultaneous": _l("All at once")}
ROLLOVER = {"voicemail": _l("Send to voicemail"), "nothing": _l("Do nothing"), "forward": _l("Forward")}
# Caller ID on the assistants' phones (17b clidNameMode / clidPhoneNumberMode).
CALLER_ID_NAMES = {"executive_originator": _l("Executive name, then caller's name"),
                   "originator_executive": _l("Caller's name, then executive name"),
                   "executive": _l("Executive name"), "originator": _l("Caller's name"), "custom": _l("Custom name")}
CALLER_ID_NUMBERS = {"executive": _l("Executive's number"), "originator": _l("Caller's number"),
                     "custom": _l("Custom number")}
SCREENING_ALERTS = {"silent": _l("Silent"), "ring_splash": _l("Ring splash")}  # 17d alertType
FILTERS = {"all": _l("All calls"), "internal": _l("All internal calls"), "external": _l("All external calls"),
           "custom": _l("Only the calls of my rules")}


@dataclass
class Values:
    enabled: bool = False  # the executive role
    assistants: list[int] = field(default_factory=list)  # in alerting order; kept in their own table
    allow_opt_in_out: bool = True
    alerting_mode: str = "sequential"
    next_assistant_rings: int = 3
    rollover_enabled: bool = False
    rollover_action: str = "voicemail"
    rollover_forward_to: str = ""
    rollover_wait_seconds: int = 30
    caller_id_name: str = "executive_originator"
    caller_id_custom_name: str = ""
    caller_id_number: str = "executive"
    caller_id_custom_number: str = ""
    filtering_enabled: bool = False
    filter_type: str = "all"
    screening_enabled: bool = False
    screening_alert: str = "silent"
    screening_single_number_reach: bool = False  # alertAnywhereLocationEnabled
    screening_webex_go: bool = False  # alertMobilityLocationEnabled
    screening_shared_lines: bool = False  # alertSharedCallAppearanceLocationEnabled


class Form(FeatureForm):
    enabled = BooleanField(_l("I am an executive: my assistants handle my calls"))
    assistants = FieldList(SelectField(_l("Assistant")), label=_l("Assistants"))
    allow_opt_in_out = BooleanField(_l("Let my assistants opt in and out"))
    alerting_mode = SelectField(_l("Alerting mode"), choices=options(ALERTING.items()))
    next_assistant_rings = IntegerField(_l("Rings before the next assistant"), default=3,
                                        validators=[InputRequired(), NumberRange(2, 20)], render_kw={"min": 2, "max": 20})
    rollover_enabled = BooleanField(_l("Roll over unanswered calls"))
    rollover_action = SelectField(_l("Rollover action"), choices=options(ROLLOVER.items()))
    rollover_forward_to = CallingNumberField(_l("Forward to"))
    rollover_wait_seconds = IntegerField(_l("Rollover after (seconds)"), default=30,
                                         validators=[InputRequired(), NumberRange(5, 600)], render_kw={"min": 5, "max": 600})
    caller_id_name = SelectField(_l("Name shown"), choices=options(CALLER_ID_NAMES.items()),
                                 default="executive_originator")
    caller_id_custom_name = StringField(_l("Custom name"), validators=[Length(max=80)],
                                        filters=[lambda v: v.strip() if v else v])
    caller_id_number = SelectField(_l("Number shown"), choices=options(CALLER_ID_NUMBERS.items()),
                                   default="executive")
    caller_id_custom_number = CallingNumberField(_l("Custom number"), extension=False, to_self=True)
    filtering_enabled = BooleanField(_l("Filter my calls"))
    filter_type = SelectField(_l("Calls to filter"), choices=options(FILTERS.items()))
    screening_enabled = BooleanField(_l("Alert me when an assistant handles one of my filtered calls"))
    screening_alert = SelectField(_l("Alert type"), choices=options(SCREENING_ALERTS.items()),
                                  default="silent")
    screening_single_number_reach = BooleanField(_l("Also alert my Single Number Reach numbers"))
    screening_webex_go = BooleanField(_l("Also alert my Webex Go device"))
    screening_shared_lines = BooleanField(_l("Also alert my shared lines"))


def _candidates(owner: Any) -> list[tuple[str, str]]:
    """Assistants must be in the executive's organization and location (reference 17)."""
    people = db.session.scalars(select(User).where(
        User.organization_id == owner.organization_id, User.location_id == owner.location_id, User.id != owner.id,
    ).order_by(User.last_name, User.first_name))
    return [(str(u.id), u.name_for_display) for u in people]


class Executive(Feature[Values, Form]):
    key = "executive"
    label = _l("Executive")
    access_key = "executive"
    order = 150
    template = "calling/features/executive.html"
    criteria = CriteriaKind(_l("Filter calls"), _l("Don't filter"),
                            calls_from=("any", "select", "internal", "external"))
    row_lists = ("assistants",)
    relation_fields = ("assistants",)

    def configure(self, form: Form, owner: Any) -> None:
        super().configure(form, owner)
        choices = [("", _l("No assistant")), *_candidates(owner)]
        for entry in form.assistants:
            entry.choices = options(choices)

    def attach(self, values: Values, snapshot: Any) -> None:
        values.assistants = [row.assistant_id for row in snapshot.assistants]

    def fill_rows(self, form: Form, values: Values, region: str | None) -> None:
        for assistant_id in values.assistants:
            form.assistants.append_entry(str(assistant_id))
        if len(form.assistants) < MAX_ASSISTANTS:
            form.assistants.append_entry("")

    def read(self, form: Form) -> Values:
        values = super().read(form)
        values.assistants = list(dict.fromkeys(int(e.data) for e in form.assistants if e.data))
        return values

    def check(self, form: Form, owner: Any) -> None:
        chosen = [e for e in form.assistants if e.data]
        problems = DomainError()
        if len(chosen) > MAX_ASSISTANTS:
            problems.add(chosen[MAX_ASSISTANTS].name, _l("You can choose up to %(n)d assistants.", n=MAX_ASSISTANTS))
        if form.rollover_enabled.data and form.rollover_action.data == "forward" and not form.rollover_forward_to.errors:
            problems.require(bool(form.rollover_forward_to.data), form.rollover_forward_to.name,
                             _l("Enter the number to forward to."))
        if form.caller_id_name.data == "custom" and not form.caller_id_custom_name.errors:
            problems.require(bool(form.caller_id_custom_name.data), form.caller_id_custom_name.name,
                             _l("Enter the name to show."))
        if form.caller_id_number.data == "custom" and not form.caller_id_custom_number.errors:
            problems.require(bool(form.caller_id_custom_number.data), form.caller_id_custom_number.name,
                             _l("Enter the number to show."))
        problems.raise_if_any()

    def persist(self, owner: Any, values: Values) -> None:
        kept = {row.assistant_id: row.opted_in for row in db.session.scalars(
            select(ExecutiveAssistant).where(ExecutiveAssistant.executive_id == owner.id))}
        db.session.execute(delete(ExecutiveAssistant).where(ExecutiveAssistant.executive_id == owner.id))
        db.session.add_all(ExecutiveAssistant(executive_id=owner.id, assistant_id=a, position=i,
                                              opted_in=kept.get(a, True))
                           for i, a in enumerate(values.assistants))

    def history_value(self, name: str, value: Any) -> Any:
        return names_of(value) if name == "assistants" else value

    def summary(self, values: Values, criteria: list, region: str | None) -> str:
        return ngettext("%(num)d assistant", "%(num)d assistants", len(values.assistants)) if values.enabled else ""


register(Executive())
