"""Voicemail fixtures: an employee with a number and an extension, a second one to prove isolation."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest

from tests.conftest import sign_in
from userhub.extensions import db
from userhub.organizations.models import PhoneNumber


@pytest.fixture
def employee(make_user, organization):  # type: ignore[no-untyped-def]
    """Jane Doe, Paris office, +33 1 84 88 32 01, extension 2201."""
    number = db.session.query(PhoneNumber).filter_by(e164="+33184883201").one()
    return make_user("jane.doe@example.com", extension="2201", location=number.location, phone_number=number)


@pytest.fixture
def employee_client(client, employee):  # type: ignore[no-untyped-def]
    assert sign_in(client, employee.email).status_code == 302
    return client


@pytest.fixture
def other_client(app, make_user):  # type: ignore[no-untyped-def]
    other = make_user("john.roe@example.com", first_name="John", last_name="Roe")
    client = app.test_client()
    assert sign_in(client, other.email).status_code == 302
    return client


def settings_data(version: int = 1, **changes: Any) -> dict[str, Any]:
    """The settings form as the page sends it with the default values (unchecked boxes are absent)."""
    data: dict[str, Any] = {
        "version": str(version), "enabled": "y", "busy_greeting": "default", "send_unanswered_calls": "y",
        "unanswered_rings": "3", "no_answer_greeting": "default", "storage": "internal",
    }
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def wav_upload(content: bytes, name: str = "greeting.wav", kind: str = "busy", **changes: Any) -> dict[str, Any]:
    """The settings form sending a greeting's file (each greeting has its own file control) with the
    default values, changed by ``changes`` as in settings_data."""
    return {**settings_data(**changes), f"{kind}_greeting_file": (BytesIO(content), name)}
