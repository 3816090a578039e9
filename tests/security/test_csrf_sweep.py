"""Every state-changing route of the URL map refuses a missing or forged CSRF token, and the refusal
changes nothing (not even signing the person out)."""

from __future__ import annotations

import pytest

from tests.security.conftest import database_checksum
from tests.security.routes import CHANGING_ROUTES

EXPIRED = b"This form has expired or was sent from elsewhere."


@pytest.mark.parametrize("route", CHANGING_ROUTES, ids=lambda r: r.id)
@pytest.mark.parametrize("token", [None, "forged-token"], ids=["missing", "wrong"])
def test_state_changing_routes_need_a_valid_csrf_token(app, world, route, token):
    app.config["WTF_CSRF_ENABLED"] = True  # the people signed in with it off; every request from now on checks
    person = "full" if not route.access.public else "anonymous"
    client, url = world.clients[person], route.url(world, person)
    data = {"csrf_token": token} if token else {}
    before = database_checksum()
    response = client.open(url, method=route.method, data=data)
    assert response.status_code == 400, f"{route.id} accepted a request without a valid CSRF token"
    assert EXPIRED in response.data
    assert database_checksum() == before
