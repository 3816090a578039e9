"""The README's screenshots (e2e/screenshots.py). In the suite: one page through the same code, into a
temporary folder, so the command cannot rot. With USERHUB_E2E_SCREENSHOTS=1 (`python -m e2e.screenshots`):
every page of the gallery, into docs/screenshots/."""

from __future__ import annotations

import os
import struct
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import ORGANIZATION
from e2e.pages import ActivationPage, DisplayNamePage, HomePage
from e2e.pages.admin import AddUsersWizard, UsersAdminPage
from e2e.pages.calling import CallSettingsPage
from e2e.pages.contacts import ContactsPage
from e2e.pages.schedules import WORDS_FR, SchedulesPage
from e2e.screenshots import DOCS, FULL_RUN, WIDTHS, Shot, shoot

EMPLOYEE = ("Maëlle", "Lefèvre", "maelle.lefevre@example.com")
ADMINISTRATOR = ("Bérénice", "Moreau", "berenice.moreau@example.com")
PASSWORD = "Ecran-Pivoine-Quai-48!"
MOBILE = "06 34 33 32 11"
WHEN = "Planification personnelle – Heures d’ouverture – Soirées"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (IHDR is the first chunk)."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("lang", ["fr"])
def test_the_screenshot_command_saves_a_page_at_each_width(page, base_url, lang, tmp_path):  # type: ignore[no-untyped-def]
    page.goto(base_url + "/sign-in")
    saved = shoot(page, tmp_path, Shot("sign-in", "/sign-in"))
    assert [path.name for path in saved] == [f"sign-in-{width}.png" for width, _ in WIDTHS]
    for path, (width, height) in zip(saved, WIDTHS, strict=True):
        shot_width, shot_height = png_size(path)
        assert shot_width == width and 100 < shot_height <= height, (path, shot_width, shot_height)


def _activate(page: Any, words: Any, link: str, person: tuple[str, str, str]) -> None:
    ActivationPage(page, words).open(link).create_password(PASSWORD)
    DisplayNamePage(page, words).enter(f"{person[0]} {person[1]}")
    HomePage(page, words).expect_shown()


@pytest.mark.skipif(not os.environ.get(FULL_RUN), reason="makes docs/screenshots/: python -m e2e.screenshots")
@pytest.mark.parametrize("lang", ["fr"])
def test_readme_screenshots(page, words, mail, cli, base_url, lang):  # type: ignore[no-untyped-def]
    def take(name: str, path: str, anchor: str | None = None) -> None:
        page.goto(base_url + path)
        shoot(page, DOCS, Shot(name, path, anchor))

    page.set_viewport_size({"width": 1366, "height": 900})
    take("sign-in", "/sign-in")

    # An employee, with the data a person gathers in a first week.
    first, last, email = EMPLOYEE
    cli("invite-user", "--organization", ORGANIZATION, "--email", email, "--first-name", first,
        "--last-name", last, "--location", "IT division", "--locale", "fr")
    message = mail.wait_for(to=email, subject_contains=words.activation_subject.format(organization=ORGANIZATION))
    _activate(page, words, mail.link(message, words.activate_button), EMPLOYEE)
    take("home", "/")
    contacts = ContactsPage(page, lang).open(base_url)
    contacts.add_speed_dial("07", MOBILE, "Portable de Léa")
    contacts.open_new_contact()
    contacts.add_contact("Léa Moreau", "mobile", "+33 6 34 33 32 12")
    schedules = SchedulesPage(page).open(base_url)
    schedules.start_creating()
    monday = date.today() - timedelta(days=date.today().weekday())
    schedules.create_weekly("Soirées", "Soir", monday, monday + timedelta(days=1), "18:00", "08:00",
                            WORDS_FR["weekdays"])  # type: ignore[arg-type]
    calling = CallSettingsPage(page, lang).open_overview(base_url)
    calling.open_feature("forwarding")
    forwarding = page.url
    calling.forward_when_busy(MOBILE)
    page.goto(base_url + "/settings/calling/selective-reject")
    page.get_by_label("Rejeter les appels de mes règles", exact=True).check()
    calling.save()
    calling.add_rule("Démarcheurs", when=WHEN, calls_from=calling.words["selected"], numbers=MOBILE)

    take("calling-overview", "/settings/calling", anchor='[data-testid="routing-panel"]')
    expect(page.get_by_test_id("routing-panel")).to_be_visible()
    take("call-forwarding", forwarding.removeprefix(base_url))
    take("rules-list", "/settings/calling/selective-reject", anchor="table.rules-list")
    take("voicemail", "/settings/calling/voicemail")
    take("schedules", "/settings/calling/schedules", anchor="table.week")
    take("contacts", "/settings/calling/contacts")

    # An administrator of the same organization.
    page.context.clear_cookies()
    first, last, email = ADMINISTRATOR
    out = cli("create-admin", "--organization", ORGANIZATION, "--email", email, "--first-name", first,
              "--last-name", last, "--locale", "fr").stdout
    _activate(page, words, out.strip().splitlines()[-1], ADMINISTRATOR)
    take("users", "/admin/users")
    UsersAdminPage(page).open(base_url).add_users()
    wizard = AddUsersWizard(page)
    wizard.fill_person(0, "Hugo", "Bernard", "hugo.bernard@example.com", "Webex Calling")
    wizard.add_row()
    wizard.fill_person(1, "Inès", "Garnier", "ines.garnier@example.com", "Webex Suite")
    wizard.next()
    wizard.wait_for_script()
    wizard.choose_number("hugo.bernard@example.com", "IT division", "+33184883212")
    shoot(page, DOCS, Shot("wizard-step-2", page.url))
    take("audit-log", "/admin/audit")

    for path in sorted(DOCS.glob("*.png")):
        width, height = png_size(path)
        print(f"{path.name}: {width}x{height}, {path.stat().st_size // 1024} KiB")
