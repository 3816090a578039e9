"""The state crawler: every GET route of the URL map, opened by every kind of person, on a richly seeded
organization (tests/crawler/conftest.py), and the pages that depend on the clock at the moments calendars get
wrong. No answer may be a 5xx; a person whose role lets them in must get the page, not a refusal.

The routes come from ``app.url_map`` (tests/security/routes.py): a route an area adds later is crawled
without editing this file, once its URL placeholders have samples in tests/<area>/route_samples.py."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.crawler.conftest import ROLES, CrawlWorld
from tests.security.routes import _SAMPLES, GET_ROUTES, Route
from tests.security.test_route_access import expected_allowed, is_refusal

PARIS, NEW_YORK, UTC = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York"), ZoneInfo("UTC")

# Instants where clocks and calendars are easy to get wrong, with the local time a person would type.
CLOCKS = {
    "monday-0900-paris": datetime(2026, 12, 7, 9, 0, tzinfo=PARIS),
    "sunday-2359-paris": datetime(2026, 12, 6, 23, 59, tzinfo=PARIS),
    "paris-spring-forward": datetime(2027, 3, 28, 1, 30, tzinfo=UTC),  # 03:30 CEST, the minute 02:30 never was
    "paris-fall-back": datetime(2027, 10, 31, 0, 30, tzinfo=UTC),  # 02:30 CEST, the first of two
    "new-york-spring-forward": datetime(2027, 3, 14, 7, 30, tzinfo=UTC),  # 03:30 EDT
    "new-york-fall-back": datetime(2027, 11, 7, 5, 30, tzinfo=UTC),  # 01:30 EDT, the first of two
    "31-december": datetime(2026, 12, 31, 23, 30, tzinfo=PARIS),
    "29-february": datetime(2028, 2, 29, 12, 0, tzinfo=PARIS),
}

# Pages whose content depends on the time: what is in effect now, the week shown, "where will my call go".
TIME_DEPENDENT = ("/settings/calling", "/settings/calling/schedules", "/admin/users/<int:user_id>",
                  "/admin/schedules", "/admin/locations/<int:location_id>/schedules")
TIME_ROLES = ("employee", "executive", "assistant", "full", "partner")

# Arguments whose generic fallback (tests/security/routes.py: the employee's id for any int) is what the URL
# means. Any other placeholder needs a sample of its own.
_FALLBACK_MEANS_IT = {"user_id"}


def _needs_a_sample(route: Route) -> list[str]:
    return [name for name, _converter in route.arguments if name not in _SAMPLES and name not in _FALLBACK_MEANS_IT]


def _failures(world: CrawlWorld, routes: list[Route], people: tuple[str, ...], query: str = "") -> list[str]:
    found = []
    for route in routes:
        for person in people:
            url = route.url(world, person) + query
            response = world.clients[person].get(url)
            if response.status_code >= 500:
                found.append(f"{person}: GET {url} answered {response.status_code}")
            elif expected_allowed(route, person, world) and is_refusal(response) and not route.access.public:
                found.append(f"{person}: GET {url} was refused ({response.status_code} "
                             f"{response.headers.get('Location', '')}) though the role allows it")
    return found


@pytest.fixture
def travel(request):  # type: ignore[no-untyped-def]
    """The whole test, seeding and signing in included, at the clock of the parameter (sessions, tokens and
    schedules all read the same clock)."""
    with time_machine.travel(CLOCKS[request.param], tick=True):
        yield CLOCKS[request.param]


def test_every_route_has_samples_for_its_placeholders() -> None:
    missing = {route.rule: _needs_a_sample(route) for route in GET_ROUTES if _needs_a_sample(route)}
    assert not missing, (
        "the crawler cannot fill these URL placeholders: declare how to build each with @sample(\"<name>\") in "
        f"tests/<area>/route_samples.py (see tests/security/routes.py): {missing}")


def test_a_placeholder_without_a_sample_is_named() -> None:
    from userhub.security.access import Access

    route = Route("/admin/widgets/<int:widget_id>/<key>", "widgets.page", "GET",
                  (("widget_id", "int"), ("key", "string")), Access())
    assert _needs_a_sample(route) == ["widget_id"]  # "key" has one (tests/calling/route_samples.py)


@pytest.mark.parametrize("travel", ["monday-0900-paris"], indirect=True)
def test_every_get_route_as_every_role(travel: datetime, crawl_world: CrawlWorld) -> None:
    failures = _failures(crawl_world, GET_ROUTES, tuple(ROLES))
    assert not failures, "\n".join(failures)


def _time_dependent_routes() -> list[Route]:
    chosen = [route for route in GET_ROUTES if route.rule.startswith(TIME_DEPENDENT)]
    assert {prefix for prefix in TIME_DEPENDENT if any(r.rule == prefix for r in chosen)} == set(TIME_DEPENDENT), \
        "a time-dependent page of this list is no longer in the URL map"
    return chosen


@pytest.mark.parametrize("travel", list(CLOCKS), indirect=True)
def test_time_dependent_pages_at_every_clock(travel: datetime, crawl_world: CrawlWorld) -> None:
    from userhub.calling import registry

    routes = _time_dependent_routes()
    failures = _failures(crawl_world, routes, TIME_ROLES)
    # The routing panel for a call at this moment's local wall-clock time, and at 02:30 that day (which does
    # not exist, or exists twice, on the days clocks change).
    local = travel.astimezone(PARIS)
    for moment in (local.strftime("%H:%M"), "02:30"):
        query = f"?day={local.date().isoformat()}&time={moment}&caller=%2B33612345679"
        failures += _failures(crawl_world, [r for r in routes if r.rule in ("/settings/calling",
                                                                           "/admin/users/<int:user_id>")],
                              ("employee", "full", "partner"), query)
    # Every feature page of the person with everything on (their rules name schedules with events).
    client = crawl_world.clients["employee"]
    for feature in registry.features():
        response = client.get(f"/settings/calling/{feature.key}")
        if response.status_code != 200:
            failures.append(f"employee: GET /settings/calling/{feature.key} answered {response.status_code}")
    assert not failures, "\n".join(failures)
