"""An administrator adds two people in one batch and picks the same number twice: step 2 says so on the second
person's row (as it is chosen, and again on submit), the message goes once that row is fixed, step 3 lists who
got which number and extension; then
both are selected in the users list and get their invitation again, at once."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.axe import assert_accessible
from e2e.conftest import ORGANIZATION
from e2e.pages import ActivationPage, DisplayNamePage, HomePage
from e2e.pages.admin import AddUsersWizard, UsersAdminPage
from userhub.phones import format_number

PASSWORD = "abcXq7#Lumen-Fjord9"

# The menu is wide enough when the chosen number's text fits its box, leaving room for the arrow.
_NUMBER_FITS = """select => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const text = context.measureText(select.selectedOptions[0].text).width;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
  return [text, room];
}"""
# ... and the location menu when its longest location's name is chosen ("Our Headquarter" was cut at 1366 px).
_LONGEST_FITS = """select => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const names = Array.from(select.options).filter(option => option.value).map(option => option.text);
  const text = Math.max(...names.map(name => context.measureText(name).width));
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
  return [text, room, names];
}"""


def _count_to(collector: Any, email: str, count: int, timeout: float = 20) -> int:
    """Wait until `count` emails to `email` have arrived (the outbox worker runs in another process)."""
    deadline = time.monotonic() + timeout
    while True:
        with collector.lock:
            seen = sum(email in item.recipients for item in collector.received)
        if seen >= count or time.monotonic() > deadline:
            return seen
        time.sleep(0.1)


def _shoot(page: Any, folder: Path, name: str) -> None:
    """Step pages at a phone's and a laptop's width, for a person to look at (kept under pytest's basetemp)."""
    size = page.viewport_size
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


@pytest.mark.parametrize("lang", ["fr"])
def test_same_number_twice_then_fixed_then_bulk_resend(page, words, mail, _smtp, cli, base_url, lang, tmp_path):  # type: ignore[no-untyped-def]
    admin_email = f"admin.{secrets.token_hex(4)}@example.com"
    out = cli("create-admin", "--organization", ORGANIZATION, "--email", admin_email, "--first-name", "Alice",
              "--last-name", "Admin", "--locale", "fr").stdout
    ActivationPage(page, words).open(out.strip().splitlines()[-1]).create_password(PASSWORD)
    DisplayNamePage(page, words).enter("Alice Admin")
    HomePage(page, words).expect_shown()

    # Step 1: two people.
    tag = secrets.token_hex(4)
    ann, bob = f"w{tag}.ann@example.com", f"w{tag}.bob@example.com"  # one prefix: the search finds both
    users = UsersAdminPage(page).open(base_url)
    users.add_users()
    wizard = AddUsersWizard(page)
    wizard.fill_person(0, "Ann", "Lee", ann, "Webex Calling")
    wizard.add_row()
    wizard.fill_person(1, "Bob", "Ray", bob, "Webex Calling")
    wizard.next()

    # Step 2: both rows named by the person; the same number for both.
    expect(wizard.row(ann).get_by_role("rowheader")).to_have_accessible_name(f"Ann Lee {ann}")
    expect(wizard.row(bob).get_by_role("rowheader")).to_have_accessible_name(f"Bob Ray {bob}")
    wizard.wait_for_script()
    page.get_by_label(f"Emplacement ({ann})", exact=True).select_option(label="IT division")
    free = wizard.free_numbers(ann)
    assert len(free) >= 2, free
    first, second = free[-1], free[-2]
    wizard.choose_number(ann, "IT division", first)
    wizard.choose_number(bob, "IT division", first)
    shown = format_number(first, "FR")
    menu = page.get_by_label(f"Numéro de téléphone ({ann})", exact=True)
    expect(menu.locator("option:checked")).to_have_text(shown)  # national format, as everywhere else
    text_width, room = menu.evaluate(_NUMBER_FITS)
    assert text_width <= room, (shown, text_width, room)
    page.set_viewport_size({"width": 1366, "height": 900})
    longest, room, names = page.get_by_label(f"Emplacement ({ann})", exact=True).evaluate(_LONGEST_FITS)
    assert longest <= room, (names, longest, room)
    # Said as it is chosen, on the later row; gone when the earlier row lets the number go, back when it
    # takes it again.
    expect(wizard.number_error(bob)).to_have_text(f"{shown} apparaît deux fois.")
    expect(wizard.number_error(ann)).to_have_count(0)
    wizard.choose_number(ann, "IT division", second)
    expect(wizard.number_error(bob)).to_have_count(0)
    wizard.choose_number(ann, "IT division", first)
    expect(wizard.number_error(bob)).to_have_text(f"{shown} apparaît deux fois.")
    # The server checks again on submit (the page without its script is the same form).
    wizard.allocate()

    # The duplicate is named on the second row only, as a duplicate (not as someone else's).
    expect(wizard.number_error(bob)).to_have_text(f"{shown} apparaît deux fois.")
    expect(wizard.number_error(ann)).to_have_count(0)
    expect(page.get_by_text("vient d’être attribué")).to_have_count(0)
    assert_accessible(page)
    _shoot(page, tmp_path, "step2-error")

    # Fixed: the message leaves as soon as the row changes, and the batch goes through.
    wizard.choose_number(bob, "IT division", second)
    expect(wizard.number_error(bob)).to_have_count(0)
    expect(page.get_by_role("alert")).to_be_hidden()
    bob_extension = page.get_by_label(f"Numéro interne ({bob})", exact=True)
    expect(bob_extension).to_have_value(second[-4:])  # the guide's proposal, now that the number is its own
    _shoot(page, tmp_path, "step2-fixed")
    wizard.allocate()

    # Step 3: who got which number and extension, and the invitations.
    wizard.expect_done("2 utilisateurs ajoutés")
    for email, number in ((ann, first), (bob, second)):
        cells = wizard.row(email).get_by_role("cell")
        expect(cells).to_have_text([format_number(number, "FR"), number[-4:], "Invitation envoyée"])
    assert_accessible(page)
    _shoot(page, tmp_path, "step3")
    collector = _smtp[1]
    assert (_count_to(collector, ann, 1), _count_to(collector, bob, 1)) == (1, 1)

    # "Ajouter d'autres utilisateurs" starts the wizard again.
    page.get_by_role("link", name="Ajouter d’autres utilisateurs", exact=True).click()
    expect(page.get_by_role("heading", name="Étape 1 : Informations de base")).to_be_visible()

    # The users list: both selected, one click, one more email each.
    users.open(base_url, search=f"w{tag}")
    users.select(ann)
    users.select(bob)
    users.resend_to_selected()
    users.expect_message("Invitations renvoyées à 2 personnes.")
    assert (_count_to(collector, ann, 2), _count_to(collector, bob, 2)) == (2, 2)
    assert_accessible(page)
