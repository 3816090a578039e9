"""A person's schedules in Settings > Calling > Schedules: create, see the week, change, delete, isolation."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tests.conftest import sign_in
from tests.schedules.conftest import evening_form
from userhub.extensions import db
from userhub.schedules import services
from userhub.schedules.models import Schedule

URL = "/settings/calling/schedules"


def test_a_person_creates_soirees_and_sees_it_in_the_week_view(user_client, user) -> None:
    response = user_client.post(f"{URL}/new", data=evening_form())
    assert response.status_code == 302
    schedule = db.session.scalar(select(Schedule).where(Schedule.user_id == user.id))
    assert schedule.name == "Soirées" and schedule.time_zone == "Europe/Paris"
    assert services.in_effect(schedule, datetime(2026, 11, 24, 6, 0, tzinfo=UTC))  # 07:00 in Paris
    page = user_client.get(f"{URL}?week=2026-11-23").get_data(as_text=True)
    assert "Soirées" in page and "<caption" in page
    assert page.count('class="cell-full"') == 5 * 6 + 5 * 8  # 18:00-24:00 Mon-Fri, 00:00-08:00 Tue-Sat
    detail = user_client.get(f"{URL}/{schedule.id}?week=2026-11-23").get_data(as_text=True)
    assert "Every week on Monday, Tuesday, Wednesday, Thursday, Friday, forever" in detail


def test_bad_input_is_named_on_its_field_and_the_form_keeps_it(user_client, user) -> None:
    response = user_client.post(f"{URL}/new", data=evening_form(end_date="2026-11-23", weekdays=None, name=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a name for the schedule." in page
    assert db.session.scalar(select(Schedule)) is None
    response = user_client.post(f"{URL}/new", data=evening_form(end_date="2026-11-23"))
    page = response.get_data(as_text=True)
    assert "choose the next day as end date" in page
    assert 'aria-describedby="end_time-error"' in page
    assert 'value="Soir"' in page and 'value="2026-11-23"' in page
    response = user_client.post(f"{URL}/new", data=evening_form(weekdays=None))
    assert "Choose at least one day of the week." in response.get_data(as_text=True)
    response = user_client.post(f"{URL}/new", data=evening_form(recurrence="yearly_by_date"))
    assert "This repetition is not available for this schedule." in response.get_data(as_text=True)
    assert db.session.scalar(select(Schedule)) is None


def test_messages_are_in_french_for_a_french_reader(app, make_user, client, organization) -> None:
    make_user("marie@example.com", first_name="Marie", locale="fr", location=organization.locations[0])
    sign_in(client, "marie@example.com")
    page = client.post(f"{URL}/new", data=evening_form(end_date="2026-11-23")).get_data(as_text=True)
    assert "Programmations" in page
    assert "choisissez le jour suivant comme date de fin" in page


def test_names_are_unique_per_owner_and_renaming_keeps_the_id(user_client, user, make_user) -> None:
    assert user_client.post(f"{URL}/new", data=evening_form()).status_code == 302
    response = user_client.post(f"{URL}/new", data=evening_form())
    assert "This name is already used. Choose another one." in response.get_data(as_text=True)
    schedule = db.session.scalar(select(Schedule))
    other = make_user("bob@example.com", first_name="Bob")
    services.create_schedule(other, "Soirées", "business_hours")  # another person may use the same name
    response = user_client.post(f"{URL}/{schedule.id}", data={"name": "Nuits", "type": "holidays"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Schedule, schedule.id).name == "Nuits"


def test_events_are_added_edited_and_deleted(user_client, user) -> None:
    user_client.post(f"{URL}/new", data=evening_form())
    schedule = db.session.scalar(select(Schedule))
    lunch = {"event_name": "Déjeuner", "start_date": "2026-11-23", "start_time": "12:00", "end_date": "2026-11-23",
             "end_time": "13:30", "recurrence": "daily", "interval": "1", "ends": "count", "count": "10"}
    assert user_client.post(f"{URL}/{schedule.id}/events/new", data=lunch).status_code == 302
    duplicate = user_client.post(f"{URL}/{schedule.id}/events/new", data=lunch)
    assert "Another event of this schedule already has this name." in duplicate.get_data(as_text=True)
    db.session.expire_all()
    event = next(e for e in db.session.get(Schedule, schedule.id).events if e.name == "Déjeuner")
    assert event.count == 10 and event.until is None
    edit = user_client.get(f"{URL}/{schedule.id}/events/{event.id}").get_data(as_text=True)
    assert 'value="13:30"' in edit
    changed = {**lunch, "ends": "until", "until": "2026-12-31"}
    assert user_client.post(f"{URL}/{schedule.id}/events/{event.id}", data=changed).status_code == 302
    db.session.expire_all()
    event = db.session.get(type(event), event.id)
    assert (event.until, event.count) == (datetime(2026, 12, 31).date(), None)
    assert user_client.post(f"{URL}/{schedule.id}/events/{event.id}/delete").status_code == 302
    db.session.expire_all()
    assert [e.name for e in db.session.get(Schedule, schedule.id).events] == ["Soir"]


def test_a_schedule_in_use_is_not_deleted_and_the_message_says_where(user_client, user) -> None:
    user_client.post(f"{URL}/new", data=evening_form())
    schedule_id = db.session.scalar(select(Schedule.id))

    def used_by_simultaneous_ring(candidate: Schedule) -> list[str]:
        return ["Simultaneous ring (rule 1)"] if candidate.id == schedule_id else []

    services.register_schedule_usage(used_by_simultaneous_ring)
    try:
        response = user_client.post(f"{URL}/{schedule_id}/delete", data={"confirmed": "yes"}, follow_redirects=True)
        assert "It is used by: Simultaneous ring (rule 1)." in response.get_data(as_text=True)
        assert db.session.get(Schedule, schedule_id) is not None
    finally:
        services.unregister_schedule_usage(used_by_simultaneous_ring)
    question = user_client.post(f"{URL}/{schedule_id}/delete")  # the detail page's button asks first
    assert question.status_code == 200 and 'name="confirmed" value="yes"' in question.get_data(as_text=True)
    headings = re.findall(r"<h[1-3][^>]*>([^<]*)</h[1-3]>", html.unescape(question.get_data(as_text=True)))
    assert "Delete the schedule" in headings[0]  # the question is the page's h1, and said once
    assert sum("Delete the schedule" in h for h in headings) == 1
    assert db.session.get(Schedule, schedule_id) is not None
    assert user_client.post(f"{URL}/{schedule_id}/delete", data={"confirmed": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Schedule, schedule_id) is None


def test_a_person_cannot_see_or_change_someone_elses_schedules(user_client, user, make_user) -> None:
    bob = make_user("bob@example.com", first_name="Bob")
    theirs = services.create_schedule(bob, "Secret", "holidays")
    for method, path in [("get", f"{URL}/{theirs.id}"), ("post", f"{URL}/{theirs.id}/delete"),
                         ("get", f"{URL}/{theirs.id}/export.ics"), ("get", f"{URL}/{theirs.id}/events/new")]:
        assert getattr(user_client, method)(path).status_code == 404, path
    assert "Secret" not in user_client.get(URL).get_data(as_text=True)
    assert services.get_schedule_for_user(user, theirs.id) is None
    # Naming someone else as owner in the form changes nothing: the owner is the signed-in person.
    user_client.post(f"{URL}/new", data=evening_form(user_id=str(bob.id), location_id="1"))
    mine = db.session.scalar(select(Schedule).where(Schedule.name == "Soirées"))
    assert (mine.user_id, mine.location_id) == (user.id, None)
    # Another person's event id under one's own schedule is not found either.
    services.add_event(theirs, services.EventInput(name="x", start_date=mine.events[0].start_date,
                                                   end_date=mine.events[0].start_date, all_day=True))
    their_event = db.session.get(Schedule, theirs.id).events[0]
    assert user_client.post(f"{URL}/{mine.id}/events/{their_event.id}/delete").status_code == 404
    db.session.expire_all()
    assert [e.name for e in db.session.get(Schedule, theirs.id).events] == ["x"]


def test_location_schedules_are_shown_read_only(user_client, user, organization) -> None:
    location = organization.locations[0]
    company = services.create_schedule(location, "Horaires du bureau", "business_hours")
    assert [s.name for s in services.schedules_for_user(user)] == ["Horaires du bureau"]
    assert services.get_schedule_for_user(user, company.id) is company
    page = user_client.get(f"{URL}/{company.id}").get_data(as_text=True)
    assert "Horaires du bureau" in page and "Delete this schedule" not in page
    assert user_client.post(f"{URL}/{company.id}/delete").status_code == 404
    assert user_client.post(f"{URL}/{company.id}", data={"name": "x", "type": "holidays"}).status_code == 403


def test_deleting_a_person_removes_their_schedules(app, user) -> None:
    services.create_schedule(user, "Soirées", "business_hours")
    db.session.delete(user)
    db.session.commit()
    assert db.session.scalar(select(Schedule)) is None


def test_a_schedule_page_opens_on_the_week_of_its_next_occurrence(user_client, user) -> None:
    # "Soirées" starting on a Monday three months ahead: this week is empty, the page opens on that week.
    start = date.today() + timedelta(days=90)
    start -= timedelta(days=start.weekday())
    user_client.post(f"{URL}/new", data=evening_form(start_date=start.isoformat(),
                                                     end_date=(start + timedelta(days=1)).isoformat()))
    schedule = db.session.scalar(select(Schedule).where(Schedule.user_id == user.id))
    for page in (user_client.get(f"{URL}/{schedule.id}").get_data(as_text=True),
                 user_client.get(URL).get_data(as_text=True)):
        assert f"Week of {start:%B} {start.day}, {start.year}" in page
        assert page.count('class="cell-full"') == 5 * 6 + 5 * 8  # Mon-Fri evenings, Tue-Sat mornings
    # An explicit week is still shown as asked.
    later = start + timedelta(days=7)
    page = user_client.get(f"{URL}/{schedule.id}?week={later.isoformat()}").get_data(as_text=True)
    assert f"Week of {later:%B} {later.day}, {later.year}" in page


def test_calling_menu_entry_and_schedules_tab_stay_current_on_a_schedule_page(user_client, user) -> None:
    user_client.post(f"{URL}/new", data=evening_form())
    schedule = db.session.scalar(select(Schedule).where(Schedule.user_id == user.id))
    page = user_client.get(f"{URL}/{schedule.id}").get_data(as_text=True)
    current = re.findall(r'aria-current="page">([^<]+)<', page)
    # the main menu is drawn twice (links on wide screens, "Menu" on phones): Calling is current in both
    assert set(current) == {"Calling", "Schedules"}, current
    assert current.count("Schedules") == 1
