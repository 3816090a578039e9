"""What one calling feature is: one small unit (values, form, template, summary, checks) on shared
behaviour. A feature module declares a subclass of Feature and calls ``register``; ``registry`` (above
the feature modules, which import this one) gives them all."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, get_args, get_origin

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import FieldList, HiddenField, SubmitField

from ..accounts.models import User
from ..errors import DomainError, show_on
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..i18n import ngettext
from .saved_criteria import CriteriaKind, Criterion
from .numbers import CallingNumberField, check_numbers, display_number, region_of

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class FeatureForm(FlaskForm):
    """Every feature form posts the version it was loaded with (optimistic concurrency)."""

    version = HiddenField()
    save = SubmitField(_l("Save"))


V = TypeVar("V", bound="DataclassInstance")  # the feature's values: defaults are the reference defaults
F = TypeVar("F", bound=FeatureForm)


class Feature(Generic[V, F]):
    """``class Hoteling(Feature[Values, Form])``: the type arguments are the feature's ``Values`` and
    ``Form`` classes, so that its methods are checked against its own fields."""

    key: ClassVar[str]
    label: ClassVar[object]
    access_key: ClassVar[str]  # reference section 22
    order: ClassVar[int]
    Values: ClassVar[type]  # a dataclass whose defaults are the reference defaults
    Form: ClassVar[type[FeatureForm]]
    template: ClassVar[str]
    criteria: ClassVar[CriteriaKind | None] = None
    row_lists: ClassVar[tuple[str, ...]] = ()  # FieldLists that get an "add a row" button
    relation_fields: ClassVar[tuple[str, ...]] = ()  # values kept in their own table, not in the JSON

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in getattr(cls, "__orig_bases__", ()):
            arguments = get_args(base)
            origin = get_origin(base)
            concrete = len(arguments) == 2 and not any(isinstance(a, TypeVar) for a in arguments)
            if isinstance(origin, type) and issubclass(origin, Feature) and concrete:
                cls.Values, cls.Form = arguments

    # --- values ---------------------------------------------------------------------------------
    def defaults(self) -> V:
        return self.Values()

    def load(self, stored: dict[str, Any] | None) -> V:
        """Values from the JSON column; missing keys take their defaults, unknown keys are ignored."""
        names = {f.name for f in dataclasses.fields(self.Values)}
        return self.Values(**{k: v for k, v in (stored or {}).items() if k in names})

    def dump(self, values: V) -> dict[str, Any]:
        """What the JSON column holds."""
        return {k: v for k, v in dataclasses.asdict(values).items() if k not in self.relation_fields}

    def attach(self, values: V, snapshot: Any) -> None:
        """Put values kept in relation tables (loaded with the snapshot) into ``values``."""

    def persist(self, owner: User, values: V) -> None:
        """Write values kept in relation tables (same transaction as the settings row)."""

    def is_on(self, values: V) -> bool:
        return bool(getattr(values, "enabled", False))

    def summary(self, values: V, criteria: list[Criterion], region: str | None) -> str:
        """The key value shown on the overview next to on/off."""
        if self.criteria and criteria:
            return ngettext("%(num)d rule", "%(num)d rules", len(criteria))
        return ""

    # --- form -----------------------------------------------------------------------------------
    def make_form(self, owner: User, formdata: Any = None) -> F:
        form = self.Form(formdata=formdata) if formdata is not None else self.Form(formdata=None)
        self.configure(form, owner)
        return form

    def configure(self, form: F, owner: User) -> None:
        """Choices that depend on the owner (rules are not part of the feature's form: calling.rule_page)."""

    def fill(self, form: F, values: V, criteria: list[Criterion], version: int, owner: User) -> None:
        region = region_of(owner)
        form.version.data = str(version)
        for name, value in dataclasses.asdict(values).items():
            field = getattr(form, name, None)
            if field is None or isinstance(field, FieldList):
                continue
            field.data = display_number(value, region) if isinstance(field, CallingNumberField) else value
        self.fill_rows(form, values, region)
        self.configure(form, owner)

    def fill_rows(self, form: F, values: V, region: str | None) -> None:
        """Features with lists of numbers put one row per entry plus blank rows here."""

    def read(self, form: F) -> V:
        """Values from a validated form (numbers already normalised)."""
        names = [f.name for f in dataclasses.fields(self.Values)]
        data = {n: getattr(form, n).data for n in names if hasattr(form, n) and not isinstance(getattr(form, n), FieldList)}
        for name in names:
            field = getattr(form, name, None)
            if isinstance(field, CallingNumberField):
                data[name] = field.data or ""
        return self.Values(**{**dataclasses.asdict(self.defaults()), **data})

    def validate(self, form: F, owner: User) -> bool:
        """Field validators, then the number field for this owner, then the feature's own rules."""
        valid = form.validate()
        valid = check_numbers(form, owner) and valid
        try:
            self.check(form, owner)
        except DomainError as refused:
            show_on(form, refused)
            return False
        return valid

    def check(self, form: F, owner: User) -> None:
        """Rules between fields (e.g. a destination when forwarding is on): raise a ``DomainError`` naming
        every wrong field (``DomainError().require(...)`` collects them, ``raise_if_any`` refuses)."""

    def context(self, owner: User, state: Any) -> dict[str, Any]:
        """More for the feature's template (names of people, for instance)."""
        return {}

    def history_value(self, name: str, value: Any) -> Any:
        """A stored value as the history shows it (people's ids become names, for instance)."""
        return value

    def field_label(self, name: str) -> str:
        unbound = getattr(self.Form, name, None)
        if unbound is None:
            return name
        label = unbound.kwargs.get("label") or (unbound.args[0] if unbound.args else name)
        return str(label)


registered: dict[str, Feature[Any, Any]] = {}  # by key; read through calling.registry


def register(feature: Feature[Any, Any]) -> Feature[Any, Any]:
    registered[feature.key] = feature
    return feature


def names_of(ids: Any) -> list[str]:
    """Display names of users by id, in the given order (for the history of people lists)."""
    wanted = [int(i) for i in ids or [] if str(i).isdigit()]
    found = {u.id: u.name_for_display for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}
    return [found.get(i, "?") for i in wanted]
