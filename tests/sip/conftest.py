"""Fixtures of the SIP tests: a SIP server credential and people with SIP accounts."""

from __future__ import annotations

import pytest

from tests.routing.conftest import client_of, set_feature  # noqa: F401  (settings saved as the Calling pages do)


@pytest.fixture
def sip_token(app) -> str:  # type: ignore[no-untyped-def]
    from userhub.sip.services import add_server

    return add_server("proxy-1")[1]


@pytest.fixture
def decide(client, sip_token):  # type: ignore[no-untyped-def]
    """decide(to=..., **params) -> the JSON plan (asserts 200)."""

    def ask(**params):  # type: ignore[no-untyped-def]
        params = {("from" if k == "from_" else k): v for k, v in params.items()}
        response = client.get("/sip/decision", query_string=params, headers={"Authorization": f"Bearer {sip_token}"})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    return ask


@pytest.fixture
def with_phones(app):  # type: ignore[no-untyped-def]
    """with_phones(user, password=...) -> the user's SIP user name, password set."""
    from userhub.extensions import db
    from userhub.sip.services import set_password

    def make(user, password: str = "correct-horse-battery") -> str:  # type: ignore[no-untyped-def]
        sip_user = set_password(user, password).sip_user
        db.session.commit()  # as the phones page's request commits at its edge
        return sip_user

    return make


# --- real SIP: userhub under gunicorn, Kamailio, SIPp ------------------------------------------------


@pytest.fixture(scope="session")
def userhub_server(database, tmp_path_factory):  # type: ignore[no-untyped-def]
    """gunicorn on the session's database, one per backend for the whole run (it was one per module: twelve
    starts of 3 to 15 s for the same server). Nothing in it outlives a test that matters: the tables are
    emptied before each test, every test adds its SIP server with a token of its own (the credentials it
    caches are keyed by the token's hash), and no test reads its log."""
    from .harness import Userhub, tools_missing

    if tools_missing():
        pytest.skip(f"not installed: {', '.join(tools_missing())} (.ci/run installs them)")
    server = Userhub(database.url, tmp_path_factory.mktemp("userhub"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def lab(app, userhub_server, tmp_path):  # type: ignore[no-untyped-def]
    """Kamailio with the shipped configuration, a SIPp gateway and voicemail; userhub knows this proxy."""
    import hashlib
    import secrets

    from userhub.extensions import db
    from userhub.sip.models import SipServer

    from .harness import Lab

    token = secrets.token_urlsafe(32)
    db.session.add(SipServer(name="kamailio-test", token_hash=hashlib.sha256(token.encode()).hexdigest()))
    db.session.commit()
    built = Lab(tmp_path, userhub_server.url, token)
    try:
        built.start()
        yield built
    finally:
        built.stop()
