"""Call settings ("Paramètres d’appel"), in French and in English: a new employee signs in, turns on
forwarding when busy to a mobile number, adds two numbers to simultaneous ring, and finds both on the
overview after a reload. Every Calling page is checked with axe-core on the way.

Test names avoid the letters "en" so that `-k en` / `-k fr` select one language.
"""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect

from e2e.axe import assert_accessible
from e2e.conftest import ORGANIZATION
from e2e.pages import ActivationPage, DisplayNamePage, HomePage, SignInPage
from e2e.pages.calling import CallSettingsPage

PASSWORD = "abcXq7#Lumen-Fjord9"
FEATURE_KEYS = ("do-not-disturb", "call-forwarding", "call-waiting", "anonymous-call-rejection", "call-notify",
                "single-number-reach", "simultaneous-ring", "sequential-ring", "selective-accept",
                "selective-reject", "selective-forward", "priority-alert", "barge-in", "block-caller-id",
                "hoteling", "executive", "executive-assistant")


def _signed_in_employee(page, base_url, cli, mail, words, lang) -> None:  # type: ignore[no-untyped-def]
    email = f"camille.martin.{secrets.token_hex(4)}@example.com"
    cli("invite-user", "--organization", ORGANIZATION, "--email", email, "--first-name", "Camille",
        "--last-name", "Martin", "--location", "IT division", "--locale", lang)
    message = mail.wait_for(to=email, subject_contains=words.activation_subject.format(organization=ORGANIZATION))
    ActivationPage(page, words).open(mail.link(message, words.activate_button)).create_password(PASSWORD)
    DisplayNamePage(page, words).enter("Camille Martin")
    home = HomePage(page, words)
    home.expect_shown()
    home.sign_out()
    SignInPage(page, words).sign_in(email, PASSWORD)
    home.expect_signed_in_as("Camille Martin")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_forwarding_and_simultaneous_ring_show_on_the_overview(page, base_url, cli, mail, words, lang):  # type: ignore[no-untyped-def]
    _signed_in_employee(page, base_url, cli, mail, words, lang)
    calling = CallSettingsPage(page, lang).open_overview(base_url)
    assert_accessible(page)

    calling.open_feature("forwarding")
    calling.forward_when_busy("06 34 33 32 11")
    assert_accessible(page)

    calling.open_overview(base_url)
    calling.open_feature("sim_ring")
    calling.ring_simultaneously("06 34 33 32 12", "+44 20 7946 0018")
    assert_accessible(page)

    calling.open_overview(base_url)
    page.reload()
    expect(calling.row("forwarding")).to_contain_text(f"{calling.words['busy_summary']} 06 34 33 32 11")
    expect(calling.row("sim_ring")).to_contain_text("06 34 33 32 12, +44 20 7946 0018")

    # Every other Calling page, read by axe-core as it first opens, then the history.
    for key in FEATURE_KEYS:
        page.goto(f"{base_url}/settings/calling/{key}")
        assert_accessible(page)
    page.goto(f"{base_url}/settings/calling/history")
    expect(page.get_by_text("06 34 33 32 11").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr"])
def test_do_not_disturb_switches_from_the_overview_and_the_route_links_to_it(page, base_url, cli, mail, words, lang):  # type: ignore[no-untyped-def]
    _signed_in_employee(page, base_url, cli, mail, words, lang)
    calling = CallSettingsPage(page, lang).open_overview(base_url)
    calling.switch_do_not_disturb(True)
    assert_accessible(page)
    calling.follow_route_step(calling.words["dnd"])
    calling.open_overview(base_url)
    calling.switch_do_not_disturb(False)

