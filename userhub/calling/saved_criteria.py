"""Criteria (reference section 1), shared by every feature that rings, notifies, accepts, rejects,
forwards, alerts or filters "only when": a schedule (none = every day, all day), who calls, and a
positive or "don't" rule. "Don't" rules win over positive ones when several match."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from flask import has_request_context, request
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, HiddenField, SelectField, StringField
from wtforms.validators import Length

from ..accounts.models import User
from ..forms import options
from ..i18n import lazy_gettext as _l
from ..schedules.models import Schedule
from ..schedules.services import schedules_for_user
from .models import CallingCriterion
from .numbers import CallingNumberField, CallingNumberList, display_number

MAX_NUMBERS_PER_CRITERION = 12  # BroadWorks platform limit (reference 1c)
EVERY_DAY = ""  # the schedule choice "Every day, all day"

CALLS_FROM_LABELS = {
    "any": _l("Any phone number"),
    "select": _l("Selected phone numbers"),
    "forwarded": _l("Forwarded calls"),
    "internal": _l("Any internal number"),
    "external": _l("Any external number"),
}


@dataclass
class Criterion:
    name: str
    schedule_id: int | None = None  # None: every day, all day
    schedule_level: str | None = None  # "personal" | "location"
    schedule_type: str | None = None  # "business_hours" | "holidays"
    calls_from: str = "any"
    anonymous_callers: bool = False
    unavailable_callers: bool = False
    phone_numbers: list[str] = field(default_factory=list)
    enabled: bool = True  # False: a "don't" rule
    forward_to: str | None = None  # selective forward: None = the default number

    @classmethod
    def from_row(cls, row: CallingCriterion) -> Criterion:
        return cls(row.name, row.schedule_id, row.schedule_level, row.schedule_type, row.calls_from,
                   row.anonymous_callers, row.unavailable_callers, list(row.phone_numbers or []), row.enabled,
                   row.forward_to)

    def to_row(self, user_id: int, feature: str, position: int) -> CallingCriterion:
        return CallingCriterion(user_id=user_id, feature=feature, position=position, **asdict(self))


@dataclass(frozen=True)
class CriteriaKind:
    """How one feature words its rules: "Ring" / "Don't ring", and which callers it can match."""

    positive: object
    negative: object
    calls_from: tuple[str, ...] = ("any", "select")
    forward_to: bool = False


class CriterionForm(Form):
    name = StringField(_l("Rule name"), validators=[Length(max=80)], filters=[lambda v: v.strip() if v else v])
    # The owner's schedules are checked in ``check`` (a forged or someone else's schedule gets a worded error).
    schedule = SelectField(_l("When"), choices=options([(EVERY_DAY, _l("Every day, all day"))]), default=EVERY_DAY,
                           validate_choice=False)
    calls_from = SelectField(_l("Calls from"), default="any")
    anonymous_callers = BooleanField(_l("Private (anonymous) numbers"))
    unavailable_callers = BooleanField(_l("Unavailable numbers"))
    phone_numbers = CallingNumberList(_l("Specific numbers, one per line (up to 12)"), limit=MAX_NUMBERS_PER_CRITERION)
    rule = SelectField(_l("Rule"), default="on")
    forward_to = CallingNumberField(_l("Forward to (empty: the default number)"))


class RuleForm(FlaskForm, CriterionForm):
    """One rule on its own page (add or edit): the rule's fields, and the version of the feature the page
    was loaded with (optimistic concurrency, as the feature's own form)."""

    version = HiddenField()


class DeleteRuleForm(FlaskForm):
    version = HiddenField()


@dataclass(frozen=True)
class RuleRow:
    """One line of the rules list: what a person reads to find a rule, without a form."""

    index: int
    name: str
    when: str
    who: str
    rule: str
    positive: bool
    forward_to: str


def rows(criteria: list[Criterion], kind: CriteriaKind, owner: User, region: str | None) -> list[RuleRow]:
    """The rules list of a feature page: schedules named from the owner's choices (one query for all rows)."""
    labels = {_schedule_id(value): str(label) for value, label in schedule_choices(owner) if value}
    found = []
    for index, criterion in enumerate(criteria):
        when = (str(_l("Every day, all day")) if criterion.schedule_id is None
                else labels.get(criterion.schedule_id, str(_l("Every day, all day"))))
        found.append(RuleRow(index, criterion.name, when, _who(criterion, region),
                             str(kind.positive if criterion.enabled else kind.negative), criterion.enabled,
                             display_number(criterion.forward_to, region) if criterion.forward_to else ""))
    return found


def _who(criterion: Criterion, region: str | None) -> str:
    if criterion.calls_from != "select":
        return str(CALLS_FROM_LABELS.get(criterion.calls_from, criterion.calls_from))
    return ", ".join([display_number(n, region) for n in criterion.phone_numbers]
                     + ([str(_l("private"))] if criterion.anonymous_callers else [])
                     + ([str(_l("unavailable"))] if criterion.unavailable_callers else []))


def check_rule(entry: RuleForm) -> bool:
    """A rule on its own page needs a name (in the old list, a blank name meant "no new rule")."""
    named = bool(entry.name.data)
    if not named:
        entry.name.errors = [*entry.name.errors, _l("Give the rule a name.")]
    return _check_fields(entry) and named  # the other fields' errors too, in one round


LEVEL_LABELS = {"personal": _l("Personal schedule"), "location": _l("Location schedule")}
TYPE_LABELS = {"business_hours": _l("Business hours"), "holidays": _l("Holidays")}


def _level(schedule: Schedule) -> str:
    return "personal" if schedule.is_personal else "location"


def schedule_value(schedule: Schedule) -> str:
    return f"{_level(schedule)}:{schedule.type}:{schedule.id}"


def schedule_label(schedule: Schedule) -> str:
    """E.g. "Personal schedule – Business hours – Office hours": level and type tell same-named ones apart."""
    return f"{LEVEL_LABELS[_level(schedule)]} – {TYPE_LABELS.get(schedule.type, schedule.type)} – {schedule.name}"


def schedule_choices(owner: User) -> list[tuple[str, object]]:
    """Schedules a criterion may use: every day, all day, then the owner's own schedules, then their
    location's (each by name). A choice value is "<level>:<type>:<id>"; links hold the id, so renaming
    a schedule keeps them."""
    # One query per request and owner, not one per rule row of the form.
    cache = request.environ.setdefault("userhub.schedule_choices", {}) if has_request_context() else {}
    if owner.id not in cache:
        cache[owner.id] = [(EVERY_DAY, _l("Every day, all day"))] + [
            (schedule_value(s), schedule_label(s)) for s in schedules_for_user(owner)
        ]
    return list(cache[owner.id])


def configure(entry: CriterionForm, kind: CriteriaKind, owner: User) -> None:
    entry.calls_from.choices = options((key, CALLS_FROM_LABELS[key]) for key in kind.calls_from)
    entry.rule.choices = options([("on", kind.positive), ("off", kind.negative)])
    choices = schedule_choices(owner)
    entry.schedule.choices = options(choices)
    # A schedule retyped since the rule was saved: show the rule with the schedule's current value.
    by_id = {_schedule_id(value): value for value, _label in choices if value}
    current = _schedule_id(entry.schedule.data)
    if current is not None and current in by_id:
        entry.schedule.data = by_id[current]


def fill(entry: CriterionForm, criterion: Criterion, region: str | None) -> None:
    entry.name.data = criterion.name
    entry.schedule.data = _schedule_value(criterion)
    entry.calls_from.data = criterion.calls_from
    entry.anonymous_callers.data = criterion.anonymous_callers
    entry.unavailable_callers.data = criterion.unavailable_callers
    entry.phone_numbers.data = "\n".join(display_number(n, region) for n in criterion.phone_numbers)
    entry.rule.data = "on" if criterion.enabled else "off"
    entry.forward_to.data = display_number(criterion.forward_to, region)


def read(entry: CriterionForm, kind: CriteriaKind) -> Criterion | None:
    """The criterion a form describes (numbers already checked), or None without a name."""
    if not entry.name.data:
        return None
    level, type_, schedule_id = _parse_schedule(entry.schedule.data)
    selected = entry.calls_from.data == "select"
    return Criterion(
        name=entry.name.data,
        schedule_id=schedule_id, schedule_level=level, schedule_type=type_,
        calls_from=entry.calls_from.data,
        anonymous_callers=selected and bool(entry.anonymous_callers.data),
        unavailable_callers=selected and bool(entry.unavailable_callers.data),
        phone_numbers=entry.phone_numbers.numbers if selected else [],
        enabled=entry.rule.data == "on",
        forward_to=(entry.forward_to.data or None) if kind.forward_to else None,
    )


def check(entry: CriterionForm) -> bool:
    """Rules a single field cannot see: the schedule is one of the owner's (choices set by ``configure``);
    selected numbers need at least one kind of caller."""
    if not entry.name.data:
        return True
    return _check_fields(entry)


def _check_fields(entry: CriterionForm) -> bool:
    if entry.schedule.data not in {choice.value for choice in entry.schedule.choices}:
        entry.schedule.errors = [*entry.schedule.errors,
                                 _l("Choose one of your schedules or the location's, or every day, all day.")]
        return False
    if entry.calls_from.data != "select":
        return True
    if entry.phone_numbers.numbers or entry.anonymous_callers.data or entry.unavailable_callers.data:
        return True
    entry.phone_numbers.errors = [*entry.phone_numbers.errors,
                                  _l("Add a number, or choose private or unavailable numbers.")]
    return False


def _schedule_id(value: str | None) -> int | None:
    try:
        return _parse_schedule(value)[2]
    except ValueError:
        return None


def _schedule_value(criterion: Criterion) -> str:
    if criterion.schedule_id is None:
        return EVERY_DAY
    return f"{criterion.schedule_level}:{criterion.schedule_type}:{criterion.schedule_id}"


def _parse_schedule(value: str | None) -> tuple[str | None, str | None, int | None]:
    """Raises ValueError for anything but "" or "<level>:<type>:<id>" (``check`` refuses those first)."""
    if not value:
        return None, None, None
    level, type_, schedule_id = value.split(":")
    return level, type_, int(schedule_id)
