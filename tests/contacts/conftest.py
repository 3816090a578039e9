"""Contacts fixtures: an employee of the Paris office, a colleague with extension 2202, another employee."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in
from userhub.extensions import db
from userhub.organizations.models import PhoneNumber


@pytest.fixture
def employee(make_user, organization):  # type: ignore[no-untyped-def]
    number = db.session.query(PhoneNumber).filter_by(e164="+33184883201").one()
    colleague = make_user("colleague@example.com", first_name="Col", last_name="League", extension="2202")
    assert colleague.extension == "2202"
    return make_user("jane.doe@example.com", extension="2201", location=number.location, phone_number=number)


@pytest.fixture
def employee_client(client, employee):  # type: ignore[no-untyped-def]
    assert sign_in(client, employee.email).status_code == 302
    return client


@pytest.fixture
def other_client(app, employee, make_user):  # type: ignore[no-untyped-def]
    make_user("john.roe@example.com", first_name="John", last_name="Roe")
    client = app.test_client()
    assert sign_in(client, "john.roe@example.com").status_code == 302
    return client
