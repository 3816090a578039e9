"""Reading and saving call settings: defaults without writing rows, a constant number of queries for
the overview, optimistic concurrency on save, and a history entry for every change."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import (
    JSON,
    Boolean,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    delete,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..errors import StalePage
from ..extensions import db
from ..i18n import gettext as _
from ..schedules.models import Schedule
from ..timeutil import utcnow
from . import hooks, registry
from .saved_criteria import Criterion
from .models import CallingCriterion, CallingFeatureAccess, CallingHistory, CallingSetting, ExecutiveAssistant

if TYPE_CHECKING:
    from .feature import Feature


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


class Owner(Protocol):
    """Whose settings are read: a ``User``, or the routing reader's ``Person`` (plain columns)."""

    @property
    def id(self) -> int: ...

    @property
    def organization_id(self) -> int: ...


@dataclass(frozen=True)
class Relation:
    """Who assists whom: a read-only copy of an ``executive_assistants`` row (no ORM object to build for
    a page or a call decision that only reads it)."""

    id: int
    executive_id: int
    assistant_id: int
    position: int
    opted_in: bool


@dataclass
class Snapshot:
    """Everything the calling pages need about one user, loaded in a fixed number of queries."""

    owner: Owner
    states: dict[str, FeatureState] = field(default_factory=dict)
    assistants: list[Relation] = field(default_factory=list)  # as executive, in alerting order
    executives: list[Relation] = field(default_factory=list)  # as assistant


# Plain table columns, not the mapped attributes: a statement without ORM entities skips the ORM's
# compile and result machinery (a call decision runs the snapshot's statement on every call).
_SETTINGS = CallingSetting.__table__.c
_CRITERIA = CallingCriterion.__table__.c
_ACCESS = CallingFeatureAccess.__table__.c
_RELATIONS = ExecutiveAssistant.__table__.c
_CRITERION_COLUMNS: tuple[Any, ...] = (_CRITERIA.id.label("criterion_id"), _CRITERIA.name, _CRITERIA.schedule_id,
                                       _CRITERIA.schedule_level, _CRITERIA.schedule_type, _CRITERIA.calls_from,
                                       _CRITERIA.anonymous_callers, _CRITERIA.unavailable_callers,
                                       _CRITERIA.phone_numbers, _CRITERIA.enabled, _CRITERIA.forward_to)


_NONE_OF: dict[str, Any] = {"int": Integer, "str": String, "json": JSON, "bool": Boolean}


def _none(kind: str, name: str) -> Any:
    # typed: in a UNION, PostgreSQL gives two untyped NULLs the type text, which then matches no integer
    return cast(null(), _NONE_OF[kind]).label(name)


@cache
def _snapshot_query(one_feature: bool) -> Any:
    """A user's settings with their criteria, feature access and executive/assistant relations in one
    statement (one round trip instead of three; a call decision runs it on every call): three SELECTs of
    the same columns, told apart by ``kind`` (0 setting, 1 access, 2 relation), each column NULL where it
    does not apply. Criteria are only ever written with their feature's settings row (``save``), so one
    outer join reads both. Built once, with bound parameters: building a statement cost about as much as
    running it (bench/bench_calling.py)."""
    # The criteria as plain columns, not ORM objects: a person with 50 rules made the overview build
    # hundreds of objects only to read them once (bench/bench_rules.py).
    no_setting = (_none("str", "feature"), _none("int", "version"), _none("json", "values"))
    no_criterion = (_none("int", "criterion_id"), _none("str", "name"), _none("int", "schedule_id"),
                    _none("str", "schedule_level"), _none("str", "schedule_type"), _none("str", "calls_from"),
                    _none("bool", "anonymous_callers"), _none("bool", "unavailable_callers"),
                    _none("json", "phone_numbers"), _none("bool", "enabled"), _none("str", "forward_to"))
    no_right = (_none("int", "right_user_id"), _none("bool", "allowed"))
    no_relation = (_none("int", "relation_id"), _none("int", "executive_id"), _none("int", "assistant_id"),
                   _none("bool", "opted_in"))
    settings = (select(literal(0).label("kind"), _SETTINGS.feature, _SETTINGS.version, _SETTINGS["values"],
                       *_CRITERION_COLUMNS, _CRITERIA.position.label("sort_position"),
                       _CRITERIA.id.label("sort_id"), *no_right, *no_relation)
                .select_from(CallingSetting.__table__)
                .outerjoin(CallingCriterion.__table__, and_(_CRITERIA.user_id == _SETTINGS.user_id,
                                                            _CRITERIA.feature == _SETTINGS.feature))
                .where(_SETTINGS.user_id == bindparam("user_id")))
    if one_feature:
        settings = settings.where(_SETTINGS.feature == bindparam("feature"))
    rights = (select(literal(1), _ACCESS.feature, *no_setting[1:], *no_criterion,
                     _none("int", "sort_position"), _none("int", "sort_id"),
                     _ACCESS.user_id, _ACCESS.allowed, *no_relation)
              .where(_ACCESS.organization_id == bindparam("organization_id"),
                     or_(_ACCESS.user_id.is_(None), _ACCESS.user_id == bindparam("user_id"))))
    relations = (select(literal(2), *no_setting, *no_criterion, _RELATIONS.position, _RELATIONS.id,
                        *no_right, _RELATIONS.id, _RELATIONS.executive_id,
                        _RELATIONS.assistant_id, _RELATIONS.opted_in)
                 .where(or_(_RELATIONS.executive_id == bindparam("user_id"),
                            _RELATIONS.assistant_id == bindparam("user_id"))))
    return union_all(settings, rights, relations).order_by("kind", "sort_position", "sort_id")


def load(owner: Owner, only: Feature | None = None) -> Snapshot:
    """One statement whatever the number of features and criteria (settings with their criteria,
    access, assistants: ``_snapshot_query``). The "Where will my call go?" panel and the SIP call
    decision both read a person's settings through here (routing.mapper)."""
    parameters = {"user_id": owner.id, "organization_id": owner.organization_id,
                  "feature": only.key if only is not None else None}
    rows: dict[str, tuple[int, Any]] = {}  # feature: (version, values)
    by_feature: dict[str, list[Criterion]] = {}
    organization_rights: dict[str, bool] = {}
    own_rights: dict[str, bool] = {}
    relations: list[Relation] = []
    for row in db.session.execute(_snapshot_query(only is not None), parameters):  # plain rows, no ORM
        if row.kind == 0:
            rows[row.feature] = (row.version, row.values)
            if row.criterion_id is not None:
                by_feature.setdefault(row.feature, []).append(Criterion(
                    row.name, row.schedule_id, row.schedule_level, row.schedule_type, row.calls_from,
                    bool(row.anonymous_callers), bool(row.unavailable_callers), list(row.phone_numbers or []),
                    bool(row.enabled), row.forward_to))
        elif row.kind == 1:
            (own_rights if row.right_user_id is not None else organization_rights)[row.feature] = bool(row.allowed)
        else:
            relations.append(Relation(row.relation_id, row.executive_id, row.assistant_id, row.sort_position,
                                      bool(row.opted_in)))
    rights = {**organization_rights, **own_rights}  # a user's override wins over the organization's default
    snapshot = Snapshot(owner,
                        assistants=[r for r in relations if r.executive_id == owner.id],
                        executives=[r for r in relations if r.assistant_id == owner.id])
    for feature in [only] if only else registry.features():
        saved = rows.get(feature.key)
        values = feature.load(saved[1]) if saved else feature.defaults()
        feature.attach(values, snapshot)
        snapshot.states[feature.key] = FeatureState(
            feature, values, by_feature.get(feature.key, []), saved[0] if saved else 0,
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
        if result.rowcount != 1:  # type: ignore[attr-defined]  # nothing written: the page is out of date
            raise StaleVersion(feature.key)
    if feature.criteria is not None:
        _replace_criteria(owner, feature, criteria)
    feature.persist(owner, values)
    hooks.run_after_save(pending)
    changes = diff(asdict(before.values), asdict(values), before.criteria, criteria)
    db.session.add(CallingHistory(user_id=owner.id, feature=feature.key, changed_by=actor.id,
                                  changed_by_name=actor.name_for_display, changed_at=now, changes=changes))
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
