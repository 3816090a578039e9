""""Où va mon appel\u00a0?" in French: an employee forwards all calls to a mobile number, then finds on
Paramètres d’appel that a call goes to that number, and tries an anonymous caller with the page's form
(a plain GET form: no JavaScript needed). Pages are checked with axe-core on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.axe import assert_accessible
from e2e.pages.calling import CallSettingsPage

PASSWORD = "abcXq7#Lumen-Fjord9"


@pytest.mark.parametrize("lang", ["fr"])
def test_the_panel_follows_forwarding_and_tries_an_anonymous_caller(page, base_url, activated_employee, lang):  # type: ignore[no-untyped-def]
    activated_employee("Léa", "Garnier", PASSWORD, location="IT division")

    calling = CallSettingsPage(page, lang).open_overview(base_url)
    panel = page.get_by_test_id("routing-panel")
    expect(panel.get_by_role("heading", name="Où va mon appel\u00a0?")).to_be_visible()
    expect(panel.locator("li").last).to_have_attribute("data-outcome", "voicemail")  # nothing set yet

    calling.open_feature("forwarding")
    page.get_by_label("Renvoyer tous les appels", exact=True).check()
    page.locator("#always_destination").fill("06 34 33 32 11")
    calling.save()

    calling.open_overview(base_url)
    last = panel.locator("li").last
    expect(last).to_have_attribute("data-feature", "forward_always")
    expect(last).to_contain_text("renvoyé vers 06 34 33 32 11")
    expect(panel).to_contain_text("Un appel de l’extérieur")
    assert_accessible(page)

    page.get_by_label("Anonyme (numéro masqué)", exact=True).check()
    page.get_by_role("button", name="Voir le parcours", exact=True).click()
    assert page.url.startswith(f"{base_url}/settings/calling?") and "caller_kind=anonymous" in page.url
    expect(panel).to_contain_text("Un appel anonyme de l’extérieur")
    expect(panel.locator("li").last).to_contain_text("renvoyé vers 06 34 33 32 11")
    expect(page.get_by_label("Anonyme (numéro masqué)", exact=True)).to_be_checked()  # the form keeps the choice
    assert_accessible(page)
