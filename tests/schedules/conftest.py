"""Schedules fixtures: the form a person sends for "Soirées", and a second organization for isolation."""

from __future__ import annotations

from typing import Any

import pytest


def evening_form(**changes: Any) -> dict[str, Any]:
    """"Soirées": weekdays from 18:00 to 08:00 the next morning, as typed in the create form."""
    form = {
        "name": "Soirées", "type": "business_hours", "event_name": "Soir", "start_date": "2026-11-23",
        "start_time": "18:00", "end_date": "2026-11-24", "end_time": "08:00", "recurrence": "weekly",
        "interval": "1", "weekdays": ["MO", "TU", "WE", "TH", "FR"], "ends": "never",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


@pytest.fixture
def other_organization(app):  # type: ignore[no-untyped-def]
    from userhub.extensions import db
    from userhub.organizations.services import create_location, create_organization

    org = create_organization("Globex", "https://globex.example.com")
    location = create_location(org, "New York office", "US", "America/New_York")
    db.session.commit()
    return org, location


@pytest.fixture
def user(make_user, organization):  # type: ignore[no-untyped-def]
    """The signed-in employee works at the Paris office: their schedules read times in Europe/Paris."""
    return make_user(location=organization.locations[0])
