"""The URL map as test cases, and sample values for URL placeholders.

Routes are read from a throw-away app at collection time, so a route any area adds is swept by the
access matrix, the CSRF sweep and the hostile-input sweep without editing these tests.

Placeholders are filled with objects of organization A. An area whose URLs take other ids declares how
to build one in ``tests/<area>/route_samples.py``::

    from tests.security.routes import sample

    @sample("contact_id")
    def contact(world):            # world: tests.security.conftest.World
        return create_contact(world.employee, "Bob").id

A builder is looked up by argument name, then by converter name; the fallback for an ``int`` is the id of
the employee of organization A and for any other text a harmless word.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.routing import Rule

import tests
from userhub import create_app
from userhub.security.access import Access, access_of

STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
STATIC = Access(public=True, organization_scoped=False)
_SAMPLES: dict[str, Callable[[Any], object]] = {}


def sample(name: str) -> Callable[[Callable[[Any], object]], Callable[[Any], object]]:
    """Register how to build a value for URL argument (or converter) ``name`` from the test world."""

    def register(builder: Callable[[Any], object]) -> Callable[[Any], object]:
        _SAMPLES[name] = builder
        return builder

    return register


@sample("token")
def _token(world: Any) -> str:
    return "A" * 43  # well-formed, unknown: the "invalid link" page


@sample("filename")
def _static_file(world: Any) -> str:
    return "css/app.css"


@sample("location_id")
def _location(world: Any) -> int:
    return world.location.id


@sample("organization_id")
def _organization(world: Any) -> int:
    return world.organization.id


@sample("int")
def _employee(world: Any) -> int:
    return world.employee.id


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

    def url(self, world: Any) -> str:
        values = {}
        for name, converter in self.arguments:
            builder = _SAMPLES.get(name) or _SAMPLES.get(converter)
            values[name] = builder(world) if builder else "sample"
        path = self.rule
        for name, converter in self.arguments:
            for spelling in (f"<{converter}:{name}>", f"<{name}>"):
                path = path.replace(spelling, str(values[name]))
        return path


def _converter_name(rule: Rule, argument: str) -> str:
    converter = rule._converters[argument]  # noqa: SLF001 - werkzeug keeps no public mapping
    return {"IntegerConverter": "int", "PathConverter": "path", "UUIDConverter": "uuid"}.get(
        type(converter).__name__, "string"
    )


def all_routes() -> list[Route]:
    _load_area_samples()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "USERHUB_DEMO_MAILBOX": False})
    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        arguments = tuple((name, _converter_name(rule, name)) for name in sorted(rule.arguments))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            # Flask's static view is a bound method without attributes; access.py lets it through unsigned.
            access = STATIC if rule.endpoint == "static" else access_of(app.view_functions[rule.endpoint])
            routes.append(Route(rule.rule, rule.endpoint, method, arguments, access))
    return routes


ROUTES = all_routes()
GET_ROUTES = [r for r in ROUTES if r.method == "GET"]
CHANGING_ROUTES = [r for r in ROUTES if r.method in STATE_CHANGING]
