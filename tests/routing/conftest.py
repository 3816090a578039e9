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
