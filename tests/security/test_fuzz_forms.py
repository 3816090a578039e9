"""Random form data (hypothesis) posted to every state-changing route as an employee and as a full
administrator: whatever arrives, the answer is never a server error, and a NUL character always gets the
clear "could not be read" refusal. Bounded: a few examples per route."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.security.routes import CHANGING_ROUTES, GET_ROUTES

_FIELD = re.compile(rb'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')
_PAGES = {route.rule: route for route in GET_ROUTES}
# About 300 random forms per person and database in all, however many routes the areas add (the suite's time
# stays bounded), and never fewer than 4 per route.
_EXAMPLES = max(4, min(12, 300 // max(1, len(CHANGING_ROUTES))))

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
# Hostile values every form meets: past PostgreSQL's integer, NUL (which PostgreSQL's text cannot hold),
# days that overflow date arithmetic, LIKE wildcards.
_values = st.one_of(_text, st.sampled_from(["", " ", "0", "-1", "99999999999999999999", "2147483648", "-2147483649",
                                            "<script>x</script>", "' OR 1=1 --", "+33 1 84 88 32 00",
                                            "jane.doe@example.com", "Jane\x00Doe", "\x00", "9999-12-31",
                                            "0001-01-01", "9999-12-31T23:59", "%", "_"]))


def _fields(world, route, person, client) -> list[str]:  # type: ignore[no-untyped-def]
    """The field names of the page's own form, when the same address can be opened with GET."""
    page = _PAGES.get(route.rule)
    names = {"name", "email", "password"}
    if page is not None:
        response = client.get(page.url(world, person))
        names |= {m.decode() for m in _FIELD.findall(response.data)} - {"csrf_token"}
    return sorted(names)


@pytest.mark.parametrize("person", ["employee", "full"])
@pytest.mark.parametrize("route", CHANGING_ROUTES, ids=lambda r: r.id)
def test_random_forms_never_cause_a_server_error(world, route, person):
    client = world.clients["anonymous" if route.access.public and route.rule.startswith("/sign-") else person]
    url, fields = route.url(world, person), _fields(world, route, person, client)

    @settings(max_examples=_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.one_of(st.sampled_from(fields), st.text(max_size=20)), _values, max_size=6))
    def post(form: dict[str, str]) -> None:
        response = client.open(url, method=route.method, data=form)
        assert response.status_code < 500, f"{route.id} with {form!r}: {response.status_code}"
        if any("\x00" in key + value for key, value in form.items()):
            assert response.status_code == 400 and b"could not be read" in response.data, f"{route.id} {form!r}"

    post()
