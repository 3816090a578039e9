"""Locations and number pools: creation rules, numbers one by one or as a range, never in two places."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from userhub.extensions import db
from userhub.organizations.models import Location, PhoneNumber


def test_create_location_with_a_valid_time_zone(admin_client, organization):
    response = admin_client.post("/admin/locations/new", data={"name": "Lyon", "country": "fr",
                                                               "time_zone": "Europe/Paris"})
    assert response.status_code == 302
    location = db.session.scalar(select(Location).where(Location.name == "Lyon"))
    assert (location.country, location.time_zone, location.organization_id) == ("FR", "Europe/Paris", organization.id)


def test_unknown_time_zone_and_duplicate_name_are_refused_and_the_form_keeps_the_input(admin_client):
    page = admin_client.post("/admin/locations/new", data={"name": "Lyon", "country": "FR",
                                                           "time_zone": "Mars/Olympus"}).get_data(as_text=True)
    assert 'value="Lyon"' in page and 'aria-invalid="true"' in page
    page = admin_client.post("/admin/locations/new", data={"name": "Paris office", "country": "FR",
                                                           "time_zone": "Europe/Paris"}).get_data(as_text=True)
    assert "already exists" in page
    assert db.session.scalar(select(Location).where(Location.name == "Lyon")) is None


def test_add_one_number_in_any_spelling_stored_as_e164(admin_client, paris):
    response = admin_client.post(f"/admin/locations/{paris.id}/numbers", data={"first": "01 84 88 32 50"})
    assert response.status_code == 302
    assert db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == "+33184883250")).location_id == paris.id


def test_add_a_range_all_or_nothing(admin_client, paris):
    response = admin_client.post(f"/admin/locations/{paris.id}/numbers",
                                 data={"first": "+33 1 84 88 32 60", "last": "+33 1 84 88 32 64"})
    assert response.status_code == 302
    numbers = db.session.scalars(select(PhoneNumber.e164).where(PhoneNumber.e164.like("+3318488326%"))).all()
    assert sorted(numbers) == [f"+3318488326{i}" for i in range(5)]
    # A range overlapping numbers already in a pool is refused as a whole.
    response = admin_client.post(f"/admin/locations/{paris.id}/numbers",
                                 data={"first": "+33 1 84 88 32 64", "last": "+33 1 84 88 32 66"})
    assert response.status_code == 400
    assert "+33184883264 already belongs to a location" in response.get_data(as_text=True)
    assert db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == "+33184883265")) is None


def test_a_number_is_never_in_two_locations(admin_client, paris, other_org):
    response = admin_client.post(f"/admin/locations/{paris.id}/numbers", data={"first": "+33 4 72 10 45 01"})
    assert response.status_code == 400
    number = db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == "+33472104501"))
    assert number.location_id == other_org["location"].id


def test_invalid_number_is_explained(admin_client, paris):
    page = admin_client.post(f"/admin/locations/{paris.id}/numbers", data={"first": "12"}).get_data(as_text=True)
    assert "is not a valid phone number" in page


def test_location_page_lists_numbers_holders_and_free_count(admin_client, paris, make_user):
    number = db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == "+33184883203"))
    make_user("holder@example.com", first_name="Hugo", last_name="Holder", location=paris, phone_number=number)
    page = admin_client.get(f"/admin/locations/{paris.id}").get_data(as_text=True)
    assert "9 free numbers / 10" in page
    assert "Hugo Holder" in page and "01 84 88 32 03" in page
    listing = admin_client.get("/admin/locations").get_data(as_text=True)
    assert "Paris office" in listing and "<td>9</td>" in listing


class _CheckSeesNothing:
    """The duplicate check runs before another administrator's insert commits: it finds nothing once."""

    def __init__(self, real, empty):  # type: ignore[no-untyped-def]
        self.real, self.empty, self.fooled = real, empty, False

    def __call__(self, statement, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self.fooled:
            self.fooled = True
            return self.empty
        return self.real(statement, *args, **kwargs)


def test_a_location_name_taken_meanwhile_is_a_message_not_a_crash(app, organization, monkeypatch):
    from userhub.organizations.services import OrganizationError, create_location

    monkeypatch.setattr(db.session, "scalar", _CheckSeesNothing(db.session.scalar, None))
    with pytest.raises(OrganizationError) as refused:
        create_location(organization, "Paris office", "FR", "Europe/Paris")
    assert "already exists" in str(refused.value.form_errors[0])
    monkeypatch.undo()
    assert [loc.name for loc in organization.locations] == ["Paris office"]  # the session still works


def test_a_number_added_meanwhile_is_a_message_not_a_crash(app, organization, monkeypatch):
    from sqlalchemy import func

    from userhub.organizations.services import OrganizationError, add_numbers

    class Nothing:
        def all(self):  # type: ignore[no-untyped-def]
            return []

    before = db.session.scalar(select(func.count()).select_from(PhoneNumber))
    monkeypatch.setattr(db.session, "scalars", _CheckSeesNothing(db.session.scalars, Nothing()))
    with pytest.raises(OrganizationError) as refused:
        add_numbers(organization.locations[0], ["+33 1 84 88 32 50", "+33 1 84 88 32 00"])
    assert "+33184883200" in str(refused.value.form_errors[0])
    monkeypatch.undo()
    assert db.session.scalar(select(func.count()).select_from(PhoneNumber)) == before  # none of the batch
