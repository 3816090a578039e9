"""An employee's personal schedule "Bureau" is named by a simultaneous ring rule; deleting the schedule is
then refused, and the message says which rule uses it. In French."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from e2e.pages.calling import CallSettingsPage
from e2e.pages.schedules import WORDS_FR, SchedulesPage

PASSWORD = "Bureau-Pivoine-Quai-73!"


@pytest.mark.parametrize("lang", ["fr"])
def test_a_schedule_used_by_a_rule_is_not_deleted(page, activated_employee, base_url, lang):  # type: ignore[no-untyped-def]
    activated_employee("Inès", "Lambert", PASSWORD)

    schedules = SchedulesPage(page).open(base_url)
    schedules.start_creating()
    monday = date.today() - timedelta(days=date.today().weekday())
    schedules.create_weekly("Bureau", "Journée", monday, monday, "09:00", "18:00",
                            WORDS_FR["weekdays"])  # type: ignore[arg-type]
    detail_url = page.url

    calling = CallSettingsPage(page, lang).open_overview(base_url)
    calling.open_feature("sim_ring")
    calling.add_rule("Heures de bureau", when="Planification personnelle – Heures d’ouverture – Bureau")
    expect(calling.rule_row("Heures de bureau")).to_contain_text("Bureau")
    calling.rule_row("Heures de bureau").get_by_role("link", name="Modifier Heures de bureau", exact=True).click()
    expect(page.get_by_label("Quand", exact=True)).to_have_value(re.compile(r"^personal:business_hours:\d+$"))

    page.goto(detail_url)
    page.get_by_role("button", name="Supprimer cette planification", exact=True).click()
    page.get_by_role("button", name="Supprimer", exact=True).click()  # the confirmation page
    expect(page.get_by_role("status")).to_contain_text(
        "La planification Bureau est utilisée et ne peut pas être supprimée. "
        "Elle est utilisée par\u00a0: Sonnerie simultanée, règle Heures de bureau.")
    schedules.open(base_url)
    expect(page.get_by_role("link", name="Bureau", exact=True)).to_be_visible()
