"""Reading and saving call settings: defaults without writing rows, a constant number of queries for
the overview, optimistic concurrency on save, and a history entry for every change."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, bindparam, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..errors import StalePage
from ..extensions import db
from ..i18n import gettext as _
from ..schedules.models import Schedule
from ..timeutil import utcnow
from . import access, hooks, registry
from .saved_criteria import Criterion
from .models import CallingCriterion, CallingHistory, CallingSetting, ExecutiveAssistant

if TYPE_CHECKING:
    from .registry import Feature


class StaleVersion(StalePage):
    """Someone saved this feature since the form was loaded (the view loads the current values)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class AccessDenied(Exception):
    """The administrator did not let this user change this feature."""


@dataclass
class FeatureState:
    feature: Feature
    values: Any
    criteria: list[Criterion]
    version: int  # 0: never saved, the reference defaults apply
    allowed: bool


@dataclass
class Snapshot:
    """Everything the calling pages need about one user, loaded in a fixed number of queries."""

    owner: User
    states: dict[str, FeatureState] = field(default_factory=dict)
    assistants: list[ExecutiveAssistant] = field(default_factory=list)  # as executive
    executives: list[ExecutiveAssistant] = field(default_factory=list)  # as assistant


_CRITERION_COLUMNS: tuple[Any, ...] = (CallingCriterion.id.label("criterion_id"), CallingCriterion.name, CallingCriterion.schedule_id,
                      CallingCriterion.schedule_level, CallingCriterion.schedule_type, CallingCriterion.calls_from,
                      CallingCriterion.anonymous_callers, CallingCriterion.unavailable_callers,
                      CallingCriterion.phone_numbers, CallingCriterion.enabled, CallingCriterion.forward_to)


@cache
def _settings_query(one_feature: bool) -> Select[CallingSetting, CallingCriterion]:
    """A user's settings with their criteria. Criteria are only ever written with their feature's settings
    row (``save``), so one outer join reads both in a single round trip. Statements here are built once,
    with bound parameters: building one cost about as much as running it (bench/bench_calling.py)."""
    # The criteria as plain columns, not ORM objects: a person with 50 rules made the overview build
    # hundreds of objects only to read them once (bench/bench_rules.py).
    query = (select(CallingSetting, *_CRITERION_COLUMNS)
             .outerjoin(CallingCriterion, and_(CallingCriterion.user_id == CallingSetting.user_id,
                                               CallingCriterion.feature == CallingSetting.feature))
             .where(CallingSetting.user_id == bindparam("user_id"))
             .order_by(CallingCriterion.position, CallingCriterion.id))
    return query.where(CallingSetting.feature == bindparam("feature")) if one_feature else query


@cache
def _relations_query() -> Select[Any]:
    """The user's assistants (as executive) and executives (as assistant), in alerting order."""
    return (select(ExecutiveAssistant)
            .where(or_(ExecutiveAssistant.executive_id == bindparam("user_id"),
                       ExecutiveAssistant.assistant_id == bindparam("user_id")))
            .order_by(ExecutiveAssistant.position, ExecutiveAssistant.id))


def load(owner: User, only: Feature | None = None) -> Snapshot:
    """Three queries whatever the number of features and criteria: settings with their criteria,
    access, assistants."""
    parameters = {"user_id": owner.id, "feature": only.key if only is not None else None}
    rows: dict[str, CallingSetting] = {}
    by_feature: dict[str, list[Criterion]] = {}
    criterion: list[Any]
    for setting, criterion_id, *criterion in db.session.execute(_settings_query(only is not None), parameters):
        rows[setting.feature] = setting
        if criterion_id is not None:
            name, schedule_id, level, kind, calls_from, anonymous, unavailable, numbers, enabled, forward_to = criterion
            by_feature.setdefault(setting.feature, []).append(Criterion(
                name, schedule_id, level, kind, calls_from, anonymous, unavailable, list(numbers or []), enabled,
                forward_to))
    rights = access.rights(owner)
    relations = list(db.session.scalars(_relations_query(), {"user_id": owner.id}))
    snapshot = Snapshot(owner,
                        assistants=[r for r in relations if r.executive_id == owner.id],
                        executives=[r for r in relations if r.assistant_id == owner.id])
    for feature in [only] if only else registry.features():
        row = rows.get(feature.key)
        values = feature.load(row.values) if row else feature.defaults()
        feature.attach(values, snapshot)
        snapshot.states[feature.key] = FeatureState(
            feature, values, by_feature.get(feature.key, []), row.version if row else 0,
            rights.get(feature.access_key, True),
        )
    return snapshot


def save(owner: User, feature: Feature, values: Any, criteria: list[Criterion], expected_version: int,
         actor: User) -> int:
    """Write the feature's values if nobody saved it since ``expected_version``; returns the new version.
    The version check is one conditional UPDATE (or an INSERT guarded by the unique key), so that
    two servers racing cannot both win."""
    before = load(owner, feature).states[feature.key]
    if not before.allowed:
        raise AccessDenied(feature.key)
    if before.version != expected_version:
        raise StaleVersion(feature.key)
    pending = hooks.PendingSave(owner, feature, values, criteria)
    hooks.run_guards(pending)  # may raise hooks.SaveRefused: nothing is written
    new_values = feature.dump(values)
    now = utcnow()
    if expected_version == 0:
        try:
            with db.session.begin_nested():
                db.session.add(CallingSetting(user_id=owner.id, feature=feature.key, version=1, values=new_values,
                                              updated_at=now, updated_by=actor.id))
        except IntegrityError as exc:
            raise StaleVersion(feature.key) from exc
    else:
        result = db.session.execute(
            update(CallingSetting)
            .where(CallingSetting.user_id == owner.id, CallingSetting.feature == feature.key,
                   CallingSetting.version == expected_version)
            .values(version=expected_version + 1, values=new_values, updated_at=now, updated_by=actor.id)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            raise StaleVersion(feature.key)
    if feature.criteria is not None:
        _replace_criteria(owner, feature, criteria)
    feature.persist(owner, values)
    hooks.run_after_save(pending)
    changes = diff(asdict(before.values), asdict(values), before.criteria, criteria)
    db.session.add(CallingHistory(user_id=owner.id, feature=feature.key, changed_by=actor.id,
                                  changed_by_name=actor.name_for_display, changed_at=now, changes=changes))
    db.session.commit()
    return expected_version + 1


def _replace_criteria(owner: User, feature: Feature, criteria: list[Criterion]) -> None:
    db.session.execute(delete(CallingCriterion).where(CallingCriterion.user_id == owner.id,
                                                      CallingCriterion.feature == feature.key))
    db.session.add_all(c.to_row(owner.id, feature.key, position) for position, c in enumerate(criteria))


def diff(before: dict[str, Any], after: dict[str, Any], criteria_before: list[Criterion],
         criteria_after: list[Criterion]) -> list[list[Any]]:
    """[field, before, after] for each value that changed (raw values, worded when shown)."""
    changes: list[list[Any]] = [[k, before.get(k), after[k]] for k in after if before.get(k) != after[k]]
    if criteria_before != criteria_after:
        changes.append(["criteria", [c.name for c in criteria_before], [c.name for c in criteria_after]])
    return changes


def history(owner: User, limit: int = 200) -> list[CallingHistory]:
    query = (select(CallingHistory).where(CallingHistory.user_id == owner.id)
             .order_by(CallingHistory.changed_at.desc(), CallingHistory.id.desc()).limit(limit))
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class ScheduleUse:
    feature: str
    criterion: str
    user_id: int


def criteria_using_schedule(schedule_id: int) -> list[ScheduleUse]:
    """Criteria that refer to a schedule, so that the schedules area can refuse to delete it."""
    query = (select(CallingCriterion.feature, CallingCriterion.name, CallingCriterion.user_id)
             .where(CallingCriterion.schedule_id == schedule_id)
             .order_by(CallingCriterion.user_id, CallingCriterion.feature, CallingCriterion.position))
    return [ScheduleUse(*row) for row in db.session.execute(query)]


def schedule_uses(schedule: Schedule) -> list[str]:
    """Where a schedule is used, for the schedules area (registered by calling/blueprint.py), e.g.
    "Simultaneous Ring, rule Office"; a location schedule names the person whose rule it is."""
    uses = criteria_using_schedule(schedule.id)
    people = {u.id: u.name_for_display for u in db.session.scalars(
        select(User).where(User.id.in_({use.user_id for use in uses})))} if uses else {}
    found = []
    for use in uses:
        feature = registry.get(use.feature)
        label = str(feature.label) if feature is not None else use.feature
        if schedule.is_personal and use.user_id == schedule.user_id:
            found.append(_("%(feature)s, rule %(rule)s", feature=label, rule=use.criterion))
        else:
            found.append(_("%(feature)s, rule %(rule)s (%(person)s)", feature=label, rule=use.criterion,
                           person=people.get(use.user_id, "")))
    return found
