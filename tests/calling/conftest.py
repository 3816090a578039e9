"""Helpers of the calling tests: post a feature form the way the page does (with its version)."""

from __future__ import annotations

import re
from typing import Any

import pytest


def page_version(client: Any, key: str) -> str:
    html = client.get(f"/settings/calling/{key}").get_data(as_text=True)
    match = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', html)
    assert match, "the feature page carries its version"
    return match.group(1)


def save(client: Any, key: str, data: dict[str, Any], version: str | None = None) -> Any:
    """Post ``data`` to the feature page with the version the page shows now (or the one given)."""
    body = {"version": version if version is not None else page_version(client, key), "save": "1", **data}
    return client.post(f"/settings/calling/{key}", data=body)


@pytest.fixture
def stored(app):  # type: ignore[no-untyped-def]
    """stored(user, key) -> the values and criteria as the service reads them."""
    from userhub.calling import registry, services
    from userhub.extensions import db

    def read(user: Any, key: str) -> Any:
        db.session.expire_all()
        return services.load(user, registry.get(key)).states[key]

    return read


@pytest.fixture
def me(jane):  # type: ignore[no-untyped-def]
    """The person whose settings these tests change: Jane Doe, 3200 (tests/conftest.py)."""
    return jane


@pytest.fixture
def me_client(client, me):  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    assert sign_in(client, me.email).status_code == 302
    return client


@pytest.fixture
def colleague(john):  # type: ignore[no-untyped-def]
    return john


@pytest.fixture
def colleague_client(app, colleague):  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    client = app.test_client()
    assert sign_in(client, colleague.email).status_code == 302
    return client
