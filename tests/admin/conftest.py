"""Fixtures of the admin area: administrators of each role, and a second organization to stay out of."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in
from userhub.accounts.models import AdminRole
from userhub.extensions import db


@pytest.fixture
def client_as(app, make_user):  # type: ignore[no-untyped-def]
    """client_as(role) -> a signed-in client; role is "full", "user", "read_only" or None (plain user)."""
    made: dict[str | None, object] = {}

    def make(role: str | None):  # type: ignore[no-untyped-def]
        if role not in made:
            email = f"{role or 'plain'}.person@example.com"
            make_user(email, first_name=(role or "plain").title(), last_name="Person",
                      admin_role=AdminRole(role) if role else None)
            client = app.test_client()
            assert sign_in(client, email).status_code == 302
            made[role] = client
        return made[role]

    return make


@pytest.fixture
def other_org(app, organization):  # type: ignore[no-untyped-def]
    """Organization "Globex" with its own location, numbers, an administrator and an employee."""
    from userhub.accounts.provisioning import create_user
    from userhub.organizations.services import add_numbers, create_location, create_organization
    from userhub.phones import number_range

    org = create_organization("Globex", "https://globex.example.com")
    location = create_location(org, "Lyon", "FR", "Europe/Paris")
    numbers = add_numbers(location, number_range("+33 4 72 10 45 00", "+33 4 72 10 45 04", "FR"))
    employee = create_user(org, "worker@globex.example.com", first_name="Wanda", last_name="Worker",
                           location=location, phone_number=numbers[0], extension="4500")
    db.session.commit()
    return {"org": org, "location": location, "numbers": numbers, "employee": employee}


@pytest.fixture
def paris(organization):  # type: ignore[no-untyped-def]
    return organization.locations[0]


@pytest.fixture
def packages(organization):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from userhub.organizations.models import Package

    return {p.code: p for p in db.session.scalars(select(Package))}
