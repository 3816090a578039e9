"""Fixtures of the routing tests: a language to render texts in, without any database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from flask import Flask

from userhub import create_app


@pytest.fixture(scope="module")
def texts_app() -> Flask:
    """An application for gettext only: the routing texts need no database."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.fixture
def in_language(texts_app: Flask) -> Callable[[str], AbstractContextManager[None]]:
    """``with in_language("fr"): ...`` renders texts as a French reader's browser asks."""
    def enter(language: str) -> AbstractContextManager[None]:
        return texts_app.test_request_context("/", headers={"Accept-Language": language})  # type: ignore[return-value]
    return enter


@pytest.fixture
def french(in_language: Callable[[str], AbstractContextManager[None]]) -> Iterator[None]:
    with in_language("fr"):
        yield


# --- people with saved settings (tests that read the database) -------------------------------------
# jane and john (Paris office, 3200 and 3201) come from tests/conftest.py.


@pytest.fixture
def set_feature(app):  # type: ignore[no-untyped-def]
    """set_feature(user, "call-forwarding", criteria=[...], always_enabled=True, ...): saved through the
    calling service as the page saves it (version check, loop check, history)."""
    import dataclasses

    from userhub.calling import registry, services
    from userhub.extensions import db

    def save(user, key: str, criteria=(), **values):  # type: ignore[no-untyped-def]
        feature = registry.get(key)
        state = services.load(user, feature).states[key]
        services.save(user, feature, dataclasses.replace(state.values, **values), list(criteria), state.version,
                      actor=user)
        db.session.commit()  # as the page's request commits at its edge

    return save


@pytest.fixture
def client_of(app):  # type: ignore[no-untyped-def]
    """client_of(user) -> a client signed in as that user."""
    from tests.conftest import sign_in

    def make(user):  # type: ignore[no-untyped-def]
        client = app.test_client()
        assert sign_in(client, user.email).status_code == 302
        return client

    return make


def post_feature(client, key: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    """Post a Calling feature page as the browser does, with the version the page shows."""
    import re

    html = client.get(f"/settings/calling/{key}").get_data(as_text=True)
    version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', html)
    assert version, "the feature page carries its version"
    return client.post(f"/settings/calling/{key}", data={"version": version.group(1), "save": "1", **data})
