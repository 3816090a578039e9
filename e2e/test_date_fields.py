"""Date and time fields are drawn in the page's language, not the machine's: a French page puts the day first
and uses a 24-hour clock, an English one the month first and AM/PM (the suite's Chromium runs with
LangAttributeAwareFormControlUI, as e2e/conftest.py says). Read as drawn, through the DevTools protocol: the
value the server receives is ISO in both languages."""

from __future__ import annotations

import pytest

from e2e.screenshots import date_field_format

PASSWORD = "Agenda-Lanterne-Quai-27!"


@pytest.mark.parametrize(("lang", "shown_date", "shown_time"), [("fr", "09/03/2027", "18:30"),
                                                                ("en", "03/09/2027", "06:30\u202fPM")])
def test_a_date_field_reads_in_the_page_language(page, activated_employee, base_url, lang, shown_date, shown_time):  # type: ignore[no-untyped-def]
    activated_employee("Jeanne", "Barbier", PASSWORD)
    page.goto(base_url + "/settings/calling/schedules/new")
    page.locator("#start_date").fill("2027-03-09")  # 9 March 2027
    page.locator("#start_time").fill("18:30")
    assert (date_field_format(page, "#start_date"), date_field_format(page, "#start_time")) == (shown_date, shown_time)
