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
    """Post ``data`` to the feature page with the version the page shows now (or the one given).
    Rules have their own pages: "criteria-0-..." fields are posted as the first rule the way a person
    does it (its edit page if there is one, else "Add a rule"; "criteria-0-remove" confirms its deletion),
    before the feature's own fields; a refused rule's response is returned and the feature is not posted."""
    rule = {k.removeprefix("criteria-0-"): v for k, v in data.items() if k.startswith("criteria-0-")}
    data = {k: v for k, v in data.items() if not k.startswith("criteria-")}
    if rule:
        response = save_rule(client, key, rule, index=0 if _has_rule(client, key) else None)
        if response.status_code != 302:
            return response
    body = {"version": version if version is not None else page_version(client, key), "save": "1", **data}
    return client.post(f"/settings/calling/{key}", data=body)


def _has_rule(client: Any, key: str) -> bool:
    return client.get(f"/settings/calling/{key}/rules/0").status_code == 200


def rule_url(key: str, index: int | None = None) -> str:
    return f"/settings/calling/{key}/rules/new" if index is None else f"/settings/calling/{key}/rules/{index}"


def rule_version(client: Any, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', html)
    assert match, "the rule page carries its feature's version"
    return match.group(1)


def save_rule(client: Any, key: str, rule: dict[str, Any], index: int | None = None,
              version: str | None = None) -> Any:
    """Post one rule on its page (add, or edit ``index``); {"remove": "y"} confirms its deletion instead."""
    url = rule_url(key, index)
    if rule.get("remove"):
        assert index is not None
        url = f"{url}/delete"
    body = {"version": version if version is not None else rule_version(client, url), **rule}
    body.pop("remove", None)
    return client.post(url, data=body)


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
