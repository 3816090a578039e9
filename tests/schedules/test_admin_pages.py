"""Location schedules in the admin area: full administrators change them, read-only administrators only look,
nobody reaches another organization's locations."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import sign_in
from tests.schedules.conftest import evening_form
from userhub.accounts.models import AdminRole
from userhub.extensions import db
from userhub.schedules import services
from userhub.schedules.models import Schedule

HOLIDAY = {"name": "Jours fériés", "type": "holidays", "event_name": "Memorial Day", "start_date": "2026-05-25",
           "end_date": "2026-05-25", "all_day": "y", "recurrence": "yearly_by_day", "week_of_month": "-1",
           "ends": "never"}


def test_a_full_administrator_creates_a_yearly_holiday_for_a_location(admin_client, organization) -> None:
    location = organization.locations[0]
    listing = admin_client.get("/admin/schedules").get_data(as_text=True)
    assert f"/admin/locations/{location.id}/schedules" in listing
    response = admin_client.post(f"/admin/locations/{location.id}/schedules/new", data=HOLIDAY)
    assert response.status_code == 302
    schedule = db.session.scalar(select(Schedule))
    assert schedule.location_id == location.id and schedule.events[0].week_of_month == -1
    page = admin_client.get(response.location).get_data(as_text=True)
    assert "Every year on the last Monday of May, forever" in page
    wrong = admin_client.post(f"/admin/locations/{location.id}/schedules/new",
                              data={**HOLIDAY, "name": "Autre", "week_of_month": "2"})
    assert "The start date is not on this week of its month." in wrong.get_data(as_text=True)
    daily = admin_client.post(f"/admin/locations/{location.id}/schedules/new", data=evening_form(recurrence="daily"))
    assert "This repetition is not available for this schedule." in daily.get_data(as_text=True)


def test_a_read_only_administrator_sees_without_forms(app, make_user, organization) -> None:
    location = organization.locations[0]
    schedule = services.create_schedule(location, "Horaires", "business_hours")
    make_user("viewer@example.com", admin_role=AdminRole.READ_ONLY)
    client = app.test_client()
    sign_in(client, "viewer@example.com")
    page = client.get(f"/admin/locations/{location.id}/schedules/{schedule.id}").get_data(as_text=True)
    assert "Horaires" in page and "Delete this schedule" not in page and "Add event" not in page
    assert client.post(f"/admin/locations/{location.id}/schedules/new", data=HOLIDAY).status_code == 403
    # Declared on the route: only full administrators change location schedules.
    assert client.post(f"/admin/locations/{location.id}/schedules/{schedule.id}/delete").status_code == 403
    assert db.session.scalar(select(db.func.count(Schedule.id))) == 1


def test_employees_and_other_organizations_get_nothing(app, admin_client, user_client, other_organization) -> None:
    _, foreign_location = other_organization
    foreign = services.create_schedule(foreign_location, "Globex hours", "business_hours")
    assert admin_client.get(f"/admin/locations/{foreign_location.id}/schedules").status_code == 404
    assert admin_client.get(f"/admin/locations/{foreign_location.id}/schedules/{foreign.id}").status_code == 404
    assert "Globex" not in admin_client.get("/admin/schedules").get_data(as_text=True)
    assert user_client.get("/admin/schedules").status_code == 403
