"""An employee creates the personal schedule "Soirées" (weekdays, 18:00 to 08:00 the next morning) in
Settings > Calling > Programmations and sees in the week view when it is in effect. In French."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from e2e.axe import assert_accessible
from e2e.pages.schedules import WORDS_FR, SchedulesPage

PASSWORD = "Soir-Lanterne-Quai-48!"


@pytest.mark.parametrize("lang", ["fr"])
def test_soirees_schedule_in_the_week_view(page, activated_employee, base_url, lang):  # type: ignore[no-untyped-def]
    activated_employee("Léa", "Moreau", PASSWORD)

    schedules = SchedulesPage(page).open(base_url)
    schedules.expect_shown()
    assert_accessible(page)

    schedules.start_creating()
    schedules.save()  # nothing typed: each missing field is named
    schedules.expect_errors()
    assert_accessible(page)

    # The Monday of this week, in the zone the server shows (no location: the service's default, Paris).
    monday = datetime.now(ZoneInfo("Europe/Paris")).date()
    monday -= timedelta(days=monday.weekday())
    schedules.create_weekly("Soirées", "Soir", monday, monday + timedelta(days=1), "18:00", "08:00",
                            WORDS_FR["weekdays"])  # type: ignore[arg-type]
    assert schedules.in_effect("Soirées", "18:00", 0)  # Monday evening
    assert schedules.in_effect("Soirées", "07:00", 5)  # Saturday morning: Friday's evening goes on
    assert not schedules.in_effect("Soirées", "08:00", 1)
    assert not schedules.in_effect("Soirées", "20:00", 5)  # no Saturday evening
    assert_accessible(page)

    page.get_by_role("link", name="Ajouter un événement", exact=True).click()
    assert_accessible(page)

    schedules.open(base_url)
    page.get_by_role("link", name="Importer une planification (.ics)", exact=True).click()
    assert_accessible(page)

    schedules.open(base_url)
    schedules.next_week()
    assert schedules.in_effect("Soirées", "23:00", 4)  # every week: next Friday too
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr"])
def test_a_schedule_starting_later_opens_on_its_first_week(page, activated_employee, base_url, lang):  # type: ignore[no-untyped-def]
    activated_employee("Noé", "Lambert", PASSWORD)
    schedules = SchedulesPage(page).open(base_url)
    schedules.expect_calling_highlighted()
    schedules.start_creating()
    start = date.today() + timedelta(days=120)  # a Monday months ahead: this week is empty
    start -= timedelta(days=start.weekday())
    schedules.create_weekly("Soirées d'été", "Soir", start, start + timedelta(days=1), "18:00", "08:00",
                            WORDS_FR["weekdays"])  # type: ignore[arg-type]
    schedules.expect_week_of(format_date(start, "long", locale="fr"))
    assert schedules.in_effect("Soirées d'été", "18:00", 0)
    schedules.expect_calling_highlighted()
    assert_accessible(page)

