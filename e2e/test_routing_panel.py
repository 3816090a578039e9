"""Do Not Disturb, then selective acceptance of one number, and "Où va mon appel ?" shows that this number
still gets through while any other caller is turned away. In French, on the real pages: the employee sets
both features, then asks the panel's form (a plain GET form) about each caller. Checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.axe import assert_accessible
from e2e.pages.calling import CallSettingsPage

PASSWORD = "Maman-Lanterne-Quai-61!"
MOTHER = "06 34 33 32 11"


def _try(page: Page, caller: str) -> list[str | None]:
    """Ask the panel about a call from ``caller``; the features of its steps, in order."""
    page.get_by_label("Numéro de l’appelant", exact=True).fill(caller)
    page.get_by_role("button", name="Voir le parcours", exact=True).click()
    steps = page.get_by_test_id("routing-panel").locator("li")
    expect(steps.first).to_be_visible()
    return [steps.nth(i).get_attribute("data-feature") for i in range(steps.count())]


@pytest.mark.parametrize("lang", ["fr"])
def test_the_accepted_number_gets_through_do_not_disturb(page, activated_employee, base_url, lang):  # type: ignore[no-untyped-def]
    activated_employee("Chloé", "Bernard", PASSWORD, location="IT division")  # French: "06 ..." is understood

    calling = CallSettingsPage(page, lang).open_overview(base_url)
    page.get_by_role("link", name="Ne pas déranger", exact=True).click()
    page.get_by_label("Activer Ne pas déranger", exact=True).check()
    calling.save()

    calling.open_overview(base_url)
    page.get_by_role("link", name="Appels sélectifs\u00a0: acceptation", exact=True).click()
    page.get_by_label("N’accepter que les appels de mes règles", exact=True).check()
    calling.save()
    calling.add_rule("Maman", calls_from="Numéros de téléphone sélectionnés", numbers=MOTHER)

    calling.open_overview(base_url)
    steps = _try(page, MOTHER)
    assert steps[0] == "selective_accept" and "ringing" in steps, steps  # accepted, and it rings despite DND
    panel = page.get_by_test_id("routing-panel")
    expect(panel.locator("li[data-feature=ringing]")).to_have_attribute("data-outcome", "rings")
    assert_accessible(page)

    steps = _try(page, "01 84 88 32 01")  # anyone else: not one of the accepted numbers
    expect(panel.locator("li").last).to_have_attribute("data-outcome", "rejected")
    assert "ringing" not in steps, steps
    expect(page.get_by_label("Numéro de l’appelant", exact=True)).to_have_value("01 84 88 32 01")  # form keeps it
    assert_accessible(page)
