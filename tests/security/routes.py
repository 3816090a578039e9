"""The URL map as test cases, and sample values for URL placeholders.

Routes are read from a throw-away app at collection time, so a route any area adds is swept by the
access matrix, the CSRF sweep and the hostile-input sweep without editing these tests.

Placeholders are filled with objects of organization A. An area whose URLs take other ids declares how
to build one in ``tests/<area>/route_samples.py``::

    from tests.security.routes import sample

    @sample("job_id")
    def job(built):                # built: tests.security.routes.Built
        return jobs.create_job(built.world.organization.id, JobKind.INVITATIONS, [], None).id

    @sample("contact_id", personal=True)
    def contact(built):            # an object of the person who opens the URL (built.owner)
        return create_contact(built.owner, "Bob").id

A builder is looked up by argument name, then by converter name; the fallback for an ``int`` is the id of
the employee of organization A and for any other text a harmless word. ``under="/admin/"`` limits a builder
to URLs under that prefix (the longest matching prefix wins), for names two areas use differently; an
``under`` that starts with ``^`` is a pattern the rule must match instead.
Placeholders are built left to right; ``built.values`` holds the earlier ones (an event of *that* schedule).

``personal=True`` is for objects that only their owner may reach (views declared ``@own_data``): each
person gets a URL to an object of their own, and the access matrix also checks that everyone else is refused
the employee's object.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.routing import IntegerConverter, Rule

import tests
from userhub import create_app
from userhub.extensions import db
from userhub.security.access import Access, access_of

STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
STATIC = Access(public=True, organization_scoped=False)

@dataclass
class Built:
    """What a sample builder gets: the test world, the account of the person who will open the URL (the
    employee when nobody in particular) and the values of the URL's earlier placeholders."""

    world: Any
    owner: Any
    values: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        # Builders written as ``def build(world)`` (before Built existed) read world.employee etc. directly.
        if name == "world":  # not set yet (copy, pickle): no endless lookup
            raise AttributeError(name)
        return getattr(self.world, name)


@dataclass(frozen=True)
class _Sample:
    build: Callable[[Built], object]
    under: str
    personal: bool


_SAMPLES: dict[str, list[_Sample]] = {}


def sample(name: str, *, under: str = "/", personal: bool = False
           ) -> Callable[[Callable[[Built], object]], Callable[[Built], object]]:
    """Register how to build a value for URL argument (or converter) ``name``, for URLs starting with ``under``;
    ``personal``: the value names an object of ``built.owner`` that nobody else may reach."""

    def register(builder: Callable[[Built], object]) -> Callable[[Built], object]:
        _SAMPLES.setdefault(name, []).append(_Sample(builder, under, personal))
        return builder

    return register


def _sample_for(rule: str, name: str, converter: str) -> _Sample | None:
    for key in (name, converter):
        candidates = [s for s in _SAMPLES.get(key, []) if _under(rule, s.under)]
        if candidates:
            return max(candidates, key=lambda s: len(s.under))
    return None


@sample("token")
def _token(built: Built) -> str:
    return "A" * 43  # well-formed, unknown: the "invalid link" page


@sample("filename")
def _static_file(built: Built) -> str:
    return "css/app.css"


@sample("location_id")
def _location(built: Built) -> int:
    return built.world.location.id


@sample("organization_id")
def _organization(built: Built) -> int:
    return built.world.organization.id


@sample("int")
def _employee(built: Built) -> int:
    return built.world.employee.id


def _load_area_samples() -> None:
    for module in pkgutil.iter_modules(tests.__path__):
        if module.ispkg:
            try:
                importlib.import_module(f"tests.{module.name}.route_samples")
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{module.name}.route_samples":
                    raise


@dataclass(frozen=True)
class Route:
    rule: str
    endpoint: str
    method: str
    arguments: tuple[tuple[str, str], ...]  # (name, converter)
    access: Access

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}"

    @property
    def has_objects(self) -> bool:
        """The URL names objects of organization A (not a token, not a static file)."""
        return any(name not in ("token", "filename") for name, _ in self.arguments)

    @property
    def personal(self) -> bool:
        """The URL names an object that belongs to the person who opens it (each person gets their own)."""
        return any((found := _sample_for(self.rule, name, converter)) is not None and found.personal
                   for name, converter in self.arguments)

    def url(self, world: Any, person: str | None = None) -> str:
        """The URL with every placeholder filled; personal objects are built for ``person`` (default: the
        employee). Builders may create rows: call this before taking a checksum."""
        built = Built(world, world.account(person))
        for name, converter in self.arguments:
            found = _sample_for(self.rule, name, converter)
            built.values[name] = found.build(built) if found else "sample"
        # Builders call services, which leave the commit to the request's edge: the sample objects are
        # committed here, as the requests that would have made them commit (before any checksum).
        db.session.commit()
        # Any converter spelling: <name>, <int:name>, <any(busy, no_answer):name>.
        return re.sub(r"<(?:[^<>:]*:)?(\w+)>", lambda m: str(built.values[m.group(1)]), self.rule)


def _under(rule: str, under: str) -> bool:
    """``under`` is a prefix of the rule, or (starting with ``^``) a pattern the rule matches: a placeholder
    followed by more of the path (``/settings/calling/<key>/rules/...``) cannot be told apart by a prefix."""
    return re.match(under, rule) is not None if under.startswith("^") else rule.startswith(under)


def _converter_name(rule: Rule, argument: str) -> str:
    converter = rule._converters[argument]
    if isinstance(converter, IntegerConverter):  # the app's own bounded one included
        return "int"
    return { "PathConverter": "path", "UUIDConverter": "uuid",
            "AnyConverter": "any"}.get(
        type(converter).__name__, "string"
    )


def all_routes() -> list[Route]:
    _load_area_samples()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "USERHUB_DEMO_MAILBOX": False})
    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        # In the order they appear in the URL, so that a builder may use the earlier values.
        order = [m.group(1) for m in re.finditer(r"<(?:[^<>:]*:)?(\w+)>", rule.rule)]
        arguments = tuple((name, _converter_name(rule, name)) for name in sorted(rule.arguments, key=order.index))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            # Flask's static view is a bound method without attributes; access.py lets it through unsigned.
            access = STATIC if rule.endpoint == "static" else access_of(app.view_functions[rule.endpoint])
            routes.append(Route(rule.rule, rule.endpoint, method, arguments, access))
    return routes


ROUTES = all_routes()
GET_ROUTES = [r for r in ROUTES if r.method == "GET"]
CHANGING_ROUTES = [r for r in ROUTES if r.method in STATE_CHANGING]
