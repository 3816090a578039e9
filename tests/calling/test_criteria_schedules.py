"""Rules of call settings name a schedule: the person's own or their location's. Someone else's schedule
cannot be chosen; a schedule a rule uses cannot be deleted, and the message says which rule uses it;
renaming a schedule keeps the rules on it."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.conftest import sign_in
from userhub.calling.models import CallingCriterion
from userhub.extensions import db
from userhub.schedules import services as schedules
from userhub.schedules.models import Schedule

from .conftest import save

SIM = "simultaneous-ring"


def rule(name: str, schedule: str, **more: str) -> dict[str, str]:
    return {"criteria-0-name": name, "criteria-0-rule": "on", "criteria-0-calls_from": "any",
            "criteria-0-schedule": schedule, **more}


def value(schedule: Schedule) -> str:
    return f"{'personal' if schedule.is_personal else 'location'}:{schedule.type}:{schedule.id}"


@pytest.fixture
def office_hours(me):  # type: ignore[no-untyped-def]
    return schedules.create_schedule(me, "Office hours", "business_hours")


@pytest.fixture
def bank_holidays(me):  # type: ignore[no-untyped-def]
    return schedules.create_schedule(me.location, "Bank holidays", "holidays")


def test_the_when_list_offers_every_day_then_my_schedules_then_my_locations(me_client, office_hours, bank_holidays):
    page = html.unescape(me_client.get(f"/settings/calling/{SIM}/rules/new").get_data(as_text=True))
    everyday = page.index("Every day, all day")
    mine = page.index(f'value="{value(office_hours)}">Personal schedule – Business hours – Office hours<')
    location = page.index(f'value="{value(bank_holidays)}">Location schedule – Holidays – Bank holidays<')
    assert everyday < mine < location


def test_a_rule_on_my_schedule_or_my_locations_is_saved_and_shown_with_its_name(
        me_client, me, stored, office_hours, bank_holidays):
    assert save(me_client, SIM, rule("Office", value(office_hours))).status_code == 302
    saved = stored(me, SIM).criteria
    assert [(c.schedule_id, c.schedule_level, c.schedule_type) for c in saved] == [
        (office_hours.id, "personal", "business_hours")]
    page = html.unescape(me_client.get(f"/settings/calling/{SIM}/rules/0").get_data(as_text=True))
    assert f'selected value="{value(office_hours)}">Personal schedule – Business hours – Office hours<' in page

    assert save(me_client, SIM, rule("Holidays", value(bank_holidays))).status_code == 302
    saved = stored(me, SIM).criteria
    assert [(c.schedule_id, c.schedule_level, c.schedule_type) for c in saved] == [
        (bank_holidays.id, "location", "holidays")]
    page = html.unescape(me_client.get(f"/settings/calling/{SIM}/rules/0").get_data(as_text=True))
    assert f'selected value="{value(bank_holidays)}">Location schedule – Holidays – Bank holidays<' in page


def test_someone_elses_schedule_or_a_forged_value_is_refused_and_nothing_is_saved(
        me_client, me, stored, colleague, other_location_schedule):
    theirs = schedules.create_schedule(colleague, "John's hours", "business_hours")
    for forged in (value(theirs), value(other_location_schedule), "personal:business_hours:999999", "garbage",
                   f"location:holidays:{theirs.id}"):
        response = save(me_client, SIM, rule("Office", forged))
        page = response.get_data(as_text=True)
        assert response.status_code == 400, forged
        assert "Choose one of your schedules or the location&#39;s, or every day, all day." in page, forged
        assert 'aria-describedby="schedule-error"' in page
    assert stored(me, SIM).version == 0 and stored(me, SIM).criteria == []


def test_the_refusal_is_in_french_for_a_french_reader(app, client, make_user, organization, stored):
    marie = make_user("marie@example.com", first_name="Marie", locale="fr", location=organization.locations[0])
    sign_in(client, marie.email)
    response = save(client, SIM, rule("Bureau", "personal:business_hours:999999"))
    assert response.status_code == 400
    assert "Choisissez l’une de vos planifications ou de celles du site" in html.unescape(
        response.get_data(as_text=True))


def test_a_schedule_in_use_is_not_deleted_and_the_message_names_the_rule(me_client, me, office_hours):
    schedule_id = office_hours.id
    save(me_client, SIM, rule("Office", value(office_hours)))
    response = me_client.post(f"/settings/calling/schedules/{schedule_id}/delete", data={"confirmed": "yes"},
                               follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert "The schedule Office hours is used and cannot be deleted." in page
    assert "It is used by: Simultaneous Ring, rule Office." in page
    db.session.expire_all()
    assert db.session.get(Schedule, schedule_id) is not None

    # Once the rule is removed, the schedule can go.
    save(me_client, SIM, {"criteria-0-name": "Office", "criteria-0-remove": "y", "criteria-0-rule": "on",
                          "criteria-0-calls_from": "any", "criteria-0-schedule": value(office_hours)})
    assert me_client.post(f"/settings/calling/schedules/{schedule_id}/delete",
                          data={"confirmed": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Schedule, schedule_id) is None


def test_a_location_schedule_used_by_a_person_is_not_deleted_and_the_admin_sees_who(
        me_client, me, admin_client, bank_holidays):
    save(me_client, "priority-alert", rule("Holidays", value(bank_holidays), enabled="y"))
    url = f"/admin/locations/{me.location_id}/schedules/{bank_holidays.id}/delete"
    page = html.unescape(admin_client.post(url, data={"confirmed": "yes"}, follow_redirects=True).get_data(as_text=True))
    assert "It is used by: Priority Alert, rule Holidays (Jane Doe)." in page
    db.session.expire_all()
    assert db.session.get(Schedule, bank_holidays.id) is not None


def test_the_database_also_refuses_to_delete_a_schedule_in_use(me_client, office_hours):
    save(me_client, SIM, rule("Office", value(office_hours)))
    with pytest.raises(IntegrityError):
        db.session.execute(db.delete(Schedule).where(Schedule.id == office_hours.id))
        db.session.commit()
    db.session.rollback()


def test_deleting_a_person_removes_their_schedules_and_the_rules_using_them(me_client, me, office_hours):
    save(me_client, SIM, rule("Office", value(office_hours)))
    db.session.delete(db.session.get(type(me), me.id))
    db.session.commit()
    assert db.session.scalar(select(CallingCriterion)) is None and db.session.scalar(select(Schedule)) is None


def test_renaming_or_retyping_a_schedule_keeps_the_rule_on_it(me_client, me, stored, office_hours):
    save(me_client, SIM, rule("Office", value(office_hours)))
    response = me_client.post(f"/settings/calling/schedules/{office_hours.id}",
                              data={"name": "Opening hours", "type": "holidays"})
    assert response.status_code == 302
    assert [c.schedule_id for c in stored(me, SIM).criteria] == [office_hours.id]
    page = html.unescape(me_client.get(f"/settings/calling/{SIM}/rules/0").get_data(as_text=True))
    assert f'selected value="personal:holidays:{office_hours.id}">Personal schedule – Holidays – Opening hours<' in page


@pytest.fixture
def other_location_schedule(app, organization):  # type: ignore[no-untyped-def]
    """A schedule of another location of the same organization, which Jane does not belong to."""
    from userhub.organizations.services import create_location

    lyon = create_location(organization, "Lyon office", "FR", "Europe/Paris")
    db.session.commit()
    return schedules.create_schedule(lyon, "Lyon hours", "business_hours")
