"""Hostile bodies sent to every state-changing route of the URL map: each gets a clear 4xx before any
view runs, and nothing changes. The signed-in full administrator sends them (the most a request can do)."""

from __future__ import annotations

import pytest

from tests.security.conftest import database_checksum
from tests.security.routes import CHANGING_ROUTES

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
    "JSON": (b'{"name": "Mallory"}', "application/json", 415, b"not accepted here"),
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
