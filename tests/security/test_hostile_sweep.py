"""Hostile bodies sent to every state-changing route of the URL map: each gets a clear 4xx before any
view runs, and nothing changes, whatever the transfer encoding. The signed-in full administrator sends them
(the most a request can do). Hostile URLs and query strings (ids past the database's integers, NUL, far
dates) sent to every page get a 404 or a 400, never a server error."""

from __future__ import annotations

import io
import re

import pytest

from tests.security.conftest import database_checksum
from tests.security.routes import CHANGING_ROUTES, GET_ROUTES, Built, _sample_for
from userhub.extensions import db

FORM = "application/x-www-form-urlencoded"

CASES = {
    "10,000-character field": (b"name=" + b"x" * 10_000, FORM, 400, b"far longer than this form accepts"),
    "raw invalid UTF-8": (b"name=abc\xff\xfedef", FORM, 400, b"could not be read"),
    "percent-encoded invalid UTF-8": (b"name=abc%FF%FEdef", FORM, 400, b"could not be read"),
    "invalid UTF-8 in multipart": (
        b'--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nabc\xffdef\r\n--B--\r\n',
        "multipart/form-data; boundary=B", 400, b"could not be read",
    ),
    "multipart cut short": (
        b'--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nMallory', "multipart/form-data; boundary=B",
        400, b"arrived incomplete",
    ),
    "NUL byte": (b"name=abc%00def", FORM, 400, b"could not be read"),
    "raw NUL byte": (b"name=abc\x00def", FORM, 400, b"could not be read"),
    "NUL byte in a field name": (b"na%00me=abc", FORM, 400, b"could not be read"),
    "NUL byte in multipart": (
        b'--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nabc\x00def\r\n--B--\r\n',
        "multipart/form-data; boundary=B", 400, b"could not be read",
    ),
    "JSON": (b'{"name": "Mallory"}', "application/json", 415, b"not accepted here"),
    "JSON with a NUL escape": (b'{"name": "a\\u0000b"}', "application/json", 415, b"not accepted here"),
    "XML": (b"<name>Mallory</name>", "text/xml", 415, b"not accepted here"),
}


def _person(route) -> str:  # type: ignore[no-untyped-def]
    return "anonymous" if route.access.public else "full"


def _client(world, route):  # type: ignore[no-untyped-def]
    return world.clients[_person(route)]


@pytest.mark.parametrize("route", CHANGING_ROUTES, ids=lambda r: r.id)
def test_hostile_bodies_are_refused_with_a_clear_message(world, route):
    client, url = _client(world, route), route.url(world, _person(route))
    for case, (body, content_type, status, message) in CASES.items():
        before = database_checksum()
        response = client.open(url, method=route.method, data=body, headers={"Content-Type": content_type})
        assert response.status_code == status, f"{case} to {route.id}: {response.status_code}"
        assert message in response.data, f"{case} to {route.id}: no clear message"
        assert database_checksum() == before, f"{case} to {route.id} changed the database"


@pytest.mark.parametrize("route", CHANGING_ROUTES, ids=lambda r: r.id)
def test_a_body_cut_short_is_refused(world, route):
    url = route.url(world, _person(route))  # before the checksum: building a sample object writes
    before = database_checksum()
    response = _client(world, route).open(
        url, method=route.method, data=b"name=Mallory", headers={"Content-Type": FORM},
        environ_overrides={"CONTENT_LENGTH": "500"},
    )
    assert response.status_code == 400 and b"arrived incomplete" in response.data
    assert database_checksum() == before


@pytest.mark.parametrize("route", CHANGING_ROUTES, ids=lambda r: r.id)
def test_bodies_over_the_limit_get_413(app, world, route):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    url = route.url(world, _person(route))
    before = database_checksum()
    response = _client(world, route).open(url, method=route.method, data={"name": "x" * 3000})
    assert response.status_code == 413
    assert b"too large" in response.data
    assert database_checksum() == before


def _chunked(client, url, method, body, content_type):  # type: ignore[no-untyped-def]
    """As a WSGI server hands on a ``Transfer-Encoding: chunked`` body: de-chunked, no Content-Length,
    ``wsgi.input_terminated`` set (gunicorn and Werkzeug's server do this; tests/security/test_hostile_input.py
    sends real chunked requests over a socket)."""
    return client.open(
        url, method=method, input_stream=io.BytesIO(body),
        headers={"Content-Type": content_type, "Transfer-Encoding": "chunked"},
        environ_overrides={"CONTENT_LENGTH": "", "wsgi.input_terminated": True},
    )


@pytest.mark.parametrize("route", CHANGING_ROUTES, ids=lambda r: r.id)
def test_chunked_bodies_get_the_same_checks(app, world, route):
    client, url = _client(world, route), route.url(world, _person(route))
    app.config["MAX_CONTENT_LENGTH"] = 2048
    cases = {**CASES, "chunked body over the limit": (b"name=" + b"x" * 3000, FORM, 413, b"too large")}
    cases["10,000-character field"] = (b"name=" + b"x" * 2000, FORM, 400, b"far longer than this form accepts")
    app.config["USERHUB_MAX_FIELD_LENGTH"] = 1000
    for case, (body, content_type, status, message) in cases.items():
        before = database_checksum()
        response = _chunked(client, url, route.method, body, content_type)
        assert response.status_code == status, f"chunked {case} to {route.id}: {response.status_code}"
        assert message in response.data, f"chunked {case} to {route.id}: no clear message"
        assert database_checksum() == before, f"chunked {case} to {route.id} changed the database"


_INT_ROUTES = [r for r in GET_ROUTES + CHANGING_ROUTES if any(c == "int" for _, c in r.arguments)]
_PLACEHOLDER = re.compile(r"<(?:[^<>:]*:)?(\w+)>")


def _sample_values(world, route, person):  # type: ignore[no-untyped-def]
    """The values Route.url would put in the placeholders (objects of the person's organization)."""
    built = Built(world, world.account(person))
    for name, converter in route.arguments:
        found = _sample_for(route.rule, name, converter)
        built.values[name] = found.build(built) if found else "sample"
    db.session.commit()  # as in Route.url: the samples are committed before any checksum
    return built.values


@pytest.mark.parametrize("route", _INT_ROUTES, ids=lambda r: r.id)
def test_ids_outside_the_database_range_are_not_found(world, route):
    """Every integer placeholder in turn set past PostgreSQL's integer (or to 0 where ids start at 1; a position
    such as a rule's index declares ``int(min=0)``), the others valid: 404."""
    client = _client(world, route)
    values = _sample_values(world, route, _person(route))
    for name, value in [(n, v) for n, c in route.arguments if c == "int"
                        for v in ("2147483648", "99999999999999999999", "0")
                        if v != "0" or f"(min=0):{n}>" not in route.rule]:
        hostile = _PLACEHOLDER.sub(lambda m, name=name, value=value: value if m.group(1) == name
                                   else str(values[m.group(1)]), route.rule)
        before = database_checksum()
        response = client.open(hostile, method=route.method, data={"name": "Mallory"})
        assert response.status_code == 404, f"{route.id} with {name}={value}: {response.status_code}"
        assert database_checksum() == before


_HOSTILE_QUERIES = {
    "huge integers": "location=99999999999999999999&page=99999999999999999999&count=99999999999999999999"
                     "&user=99999999999999999999&id=2147483648",
    "negative integers": "location=-1&page=-99999999999999999999&count=-5",
    "far dates": "start=9999-12-31&end=9999-12-31&week=9999-12-27&day=0001-01-01",
    "far dates, the other way": "start=0001-01-01&end=9999-12-31&day=9999-12-31&time=23:59&caller=0612345678",
    "LIKE wildcards": "q=%25&sort=%25&status=_",
}


@pytest.mark.parametrize("route", GET_ROUTES, ids=lambda r: r.id)
def test_hostile_query_strings_never_cause_a_server_error(world, route):
    person = "anonymous" if route.access.public else "full"
    client, url = world.clients[person], route.url(world, person)
    for case, query in _HOSTILE_QUERIES.items():
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, f"{case} to {route.id}: {response.status_code}"
    response = client.get(f"{url}?q=abc%00def")
    assert response.status_code == 400 and b"could not be read" in response.data, f"NUL in the query of {route.id}"
