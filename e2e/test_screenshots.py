"""The README's screenshots (e2e/screenshots.py). In the suite: one page through the same code, into a
temporary folder, so the command cannot rot, and the French date fields of the pictures. With
USERHUB_E2E_SCREENSHOTS=1 (`python -m e2e.screenshots`): every item of issue 13, into docs/screenshots/.

The browser of this module runs in French (see e2e/screenshots.py): an empty date field reads "jj/mm/aaaa"."""

from __future__ import annotations

import os
import re
import struct
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, ORGANIZATION
from e2e.pages import WORDING, ActivationPage, DisplayNamePage, HomePage
from e2e.pages.admin import AddUsersWizard, ImportUsersPage, UsersAdminPage
from e2e.pages.calling import CallSettingsPage
from e2e.pages.contacts import ContactsPage
from e2e.pages.schedules import WORDS_FR, SchedulesPage
from e2e.screenshots import DOCS, FULL_RUN, WIDTHS, Shot, date_field_format, launch_french_browser, shoot

EMPLOYEE = ("Maëlle", "Lefèvre", "maelle.lefevre@example.com")
ENGLISH_EMPLOYEE = ("Oliver", "Hughes", "oliver.hughes@example.com")
ADMINISTRATOR = ("Bérénice", "Moreau", "berenice.moreau@example.com")
PASSWORD = "Ecran-Pivoine-Quai-48!"
MOBILE = "06 34 33 32 11"
WHEN = "Planification personnelle – Heures d’ouverture – Soirées"
# People of the import, as a French Excel saves them (";", Windows-1252): enough for a second page of the list.
IMPORTED = [("Adèle", "Roux"), ("Amélie", "Faure"), ("Anaïs", "Blanc"), ("Benoît", "Guérin"), ("Céline", "Muller"),
            ("Chloé", "Henry"), ("Clément", "Roussel"), ("Damien", "Nicolas"), ("Élise", "Perrin"),
            ("Émile", "Morin"), ("Fabrice", "Mathieu"), ("Gaëlle", "Clément"), ("Gérald", "Gauthier"),
            ("Hélène", "Dumont"), ("Jérôme", "Lopez"), ("Joëlle", "Fontaine"), ("Léon", "Chevalier"),
            ("Loïc", "Robin"), ("Mélanie", "Masson"), ("Noémie", "Sanchez"), ("Océane", "Denis"),
            ("Pénélope", "Lemaire"), ("Rémi", "Duval"), ("Sébastien", "Joly"), ("Solène", "Gérard"),
            ("Théo", "Roger"), ("Valérie", "Roche"), ("Yannick", "Roy"), ("Zoé", "Noël"), ("Zoë", "Garçon")]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (IHDR is the first chunk)."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def _browser(_browser: Any) -> Iterator[Any]:
    """This module's pages are drawn by a Chromium whose own language is French (the suite's one is not)."""
    browser = launch_french_browser(_browser.browser_type, CHROMIUM, CHROMIUM_ARGS)
    yield browser
    browser.close()


def _ascii(text: str) -> str:
    """An address's letters: "Anaïs" -> "anais"."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


@pytest.mark.parametrize("lang", ["fr"])
def test_the_screenshot_command_saves_a_page_at_each_width(page, base_url, lang, tmp_path):  # type: ignore[no-untyped-def]
    page.goto(base_url + "/sign-in")
    saved = shoot(page, tmp_path, Shot("sign-in", "/sign-in"))
    assert [path.name for path in saved] == [f"sign-in-{width}.png" for width, _ in WIDTHS]
    for path, (width, height) in zip(saved, WIDTHS, strict=True):
        shot_width, shot_height = png_size(path)
        assert shot_width == width and 100 < shot_height <= height, (path, shot_width, shot_height)


@pytest.mark.parametrize("lang", ["fr"])
def test_date_fields_of_french_pictures_read_jj_mm_aaaa(page, activated_employee, base_url, lang):  # type: ignore[no-untyped-def]
    """As drawn, not as the value: the schedule form's empty start date, then one typed in, then its time."""
    activated_employee("Inès", "Dupré", PASSWORD)
    page.goto(base_url + "/settings/calling/schedules/new")
    assert date_field_format(page, "#start_date") == "jj/mm/aaaa"
    page.locator("#start_date").fill("2027-03-09")
    assert date_field_format(page, "#start_date") == "09/03/2027"
    page.locator("#start_time").fill("18:30")
    assert date_field_format(page, "#start_time") == "18:30"  # a 24-hour clock, no AM/PM field


def _activate(page: Any, words: Any, link: str, person: tuple[str, str, str]) -> None:
    ActivationPage(page, words).open(link).create_password(PASSWORD)
    DisplayNamePage(page, words).enter(f"{person[0]} {person[1]}")
    HomePage(page, words).expect_shown()


def _email(page: Any, mail: Any, name: str, message: Any) -> None:
    """An email as its reader sees it: its HTML part drawn by the browser, at a laptop's and a phone's width."""
    page.goto("about:blank")  # not over a page of the portal, whose CSP would drop the email's inline styles
    page.set_content(mail.html(message))
    expect(page.get_by_role("link", name=re.compile("^(Activer|Activate)$"))).to_have_css("color", "rgb(255, 255, 255)")
    shoot(page, DOCS, Shot(name, "(email)"))


@pytest.mark.skipif(not os.environ.get(FULL_RUN), reason="makes docs/screenshots/: python -m e2e.screenshots")
@pytest.mark.parametrize("lang", ["fr"])
def test_readme_screenshots(page, words, mail, cli, base_url, lang):  # type: ignore[no-untyped-def]
    def take(name: str, path: str | None = None, anchor: str | None = None, taller: int = 0) -> None:
        """The page at `path` (None: the page now shown), at each width, from `anchor` if it is far down."""
        if path is not None:
            page.goto(base_url + path)
        shoot(page, DOCS, Shot(name, path or page.url, anchor),
              tuple((width, height + taller) for width, height in WIDTHS))

    page.set_viewport_size({"width": 1366, "height": 900})
    take("sign-in", "/sign-in")

    # The activation emails, French and English, as their readers see them.
    first, last, email = EMPLOYEE
    cli("invite-user", "--organization", ORGANIZATION, "--email", email, "--first-name", first,
        "--last-name", last, "--location", "IT division", "--locale", "fr")
    message = mail.wait_for(to=email, subject_contains=words.activation_subject.format(organization=ORGANIZATION))
    english = WORDING["en"]
    cli("invite-user", "--organization", ORGANIZATION, "--email", ENGLISH_EMPLOYEE[2], "--first-name",
        ENGLISH_EMPLOYEE[0], "--last-name", ENGLISH_EMPLOYEE[1], "--locale", "en")
    message_en = mail.wait_for(to=ENGLISH_EMPLOYEE[2],
                               subject_contains=english.activation_subject.format(organization=ORGANIZATION))
    _email(page, mail, "email-activation", message)
    _email(page, mail, "email-activation-en", message_en)

    # An employee, with the data a person gathers in a first week.
    _activate(page, words, mail.link(message, words.activate_button), EMPLOYEE)
    take("home", "/")
    contacts = ContactsPage(page, lang).open(base_url)
    contacts.add_speed_dial("07", MOBILE, "Portable de Léa")
    contacts.open_new_contact()
    contacts.add_contact("Léa Moreau", "mobile", "+33 6 34 33 32 12")
    take("contacts", "/settings/calling/contacts")
    page.get_by_role("link", name="Supprimer Léa Moreau", exact=True).click()  # asks first, without JavaScript
    expect(page.get_by_role("button", name="Supprimer", exact=True)).to_be_visible()
    take("confirm-delete-contact")

    schedules = SchedulesPage(page).open(base_url)
    schedules.start_creating()
    assert date_field_format(page, "#start_date") == "jj/mm/aaaa"  # French, as the picture shows it
    take("schedule-new")
    monday = datetime.now(ZoneInfo("Europe/Paris")).date()
    monday -= timedelta(days=monday.weekday())
    schedules.create_weekly("Soirées", "Soir", monday, monday + timedelta(days=1), "18:00", "08:00",
                            WORDS_FR["weekdays"])  # type: ignore[arg-type]
    take("schedules", "/settings/calling/schedules", anchor="table.week")
    # A schedule that starts months ahead opens on the week of its first occurrence, not on an empty week.
    schedules.open(base_url).start_creating()
    start = date.today() + timedelta(days=120)
    start -= timedelta(days=start.weekday())
    schedules.create_weekly("Soirées d’été", "Soir", start, start + timedelta(days=1), "18:00", "08:00",
                            WORDS_FR["weekdays"])  # type: ignore[arg-type]
    assert schedules.in_effect("Soirées d’été", "18:00", 0)
    take("schedule-next-occurrence", anchor="table.week")

    calling = CallSettingsPage(page, lang).open_overview(base_url)
    calling.open_feature("forwarding")
    calling.forward_when_busy(MOBILE)
    take("call-forwarding")  # "when busy" on and its fields shown; the other groups off and folded
    details = page.locator("#busy-details")
    details.get_by_label(calling.words["forward_to"], exact=True).fill("12ab")
    page.get_by_role("button", name=calling.words["save"], exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    take("call-forwarding-errors")  # each message names its group
    page.goto(base_url + "/settings/calling/selective-reject")
    page.get_by_label("Rejeter les appels de mes règles", exact=True).check()
    calling.save()
    calling.add_rule("Démarcheurs", when=WHEN, calls_from=calling.words["selected"], numbers=MOBILE)
    take("rules-list", anchor="table.rules-list")
    calling.rule_row("Démarcheurs").get_by_role("link", name="Modifier Démarcheurs", exact=True).click()
    take("rule-editor")
    take("voicemail", "/settings/calling/voicemail")

    calling.open_overview(base_url)
    calling.switch_do_not_disturb(True)  # the overview's own switch: a form, no JavaScript
    take("calling-overview")
    page.get_by_label("Numéro de l’appelant", exact=True).fill("01 84 88 32 01")
    page.get_by_role("button", name="Voir le parcours", exact=True).click()
    expect(page.get_by_test_id("routing-panel").locator("li").first).to_be_visible()
    take("calling-overview-route", anchor='[data-testid="routing-panel"]')

    # An administrator of the same organization.
    page.context.clear_cookies()
    first, last, email = ADMINISTRATOR
    out = cli("create-admin", "--organization", ORGANIZATION, "--email", email, "--first-name", first,
              "--last-name", last, "--locale", "fr").stdout
    _activate(page, words, out.strip().splitlines()[-1], ADMINISTRATOR)

    # The wizard: the same number chosen twice, said so; then fixed, and step 3.
    UsersAdminPage(page).open(base_url).add_users()
    wizard = AddUsersWizard(page)
    hugo, ines = "hugo.bernard@example.com", "ines.garnier@example.com"
    wizard.fill_person(0, "Hugo", "Bernard", hugo, "Webex Calling")
    wizard.add_row()
    wizard.fill_person(1, "Inès", "Garnier", ines, "Webex Suite")
    wizard.next()
    wizard.wait_for_script()
    page.get_by_label(f"Emplacement ({hugo})", exact=True).select_option(label="IT division")
    free = wizard.free_numbers(hugo)
    wizard.choose_number(hugo, "IT division", free[-1])
    wizard.choose_number(ines, "IT division", free[-1])
    wizard.allocate()
    expect(wizard.number_error(ines)).to_contain_text("apparaît deux fois")
    take("wizard-step-2-duplicate", taller=700)  # on a phone both people's cards, down to the message
    wizard.choose_number(ines, "IT division", free[-2])
    expect(wizard.number_error(ines)).to_have_count(0)
    wizard.allocate()
    wizard.expect_done("2 utilisateurs ajoutés")
    take("wizard-step-3")

    # CSV as French administrators make it: a byte Windows-1252 cannot read is reported with its line; then
    # thirty people, ";" and Windows-1252, and the import's progress.
    header = "first_name;last_name;email;package;location;number;extension\r\n"
    importer = ImportUsersPage(page).open(base_url)
    bad = (header + "Adèle;Roux;adele.roux@example.com;;IT division;;7301\r\n").encode("cp1252")
    importer.upload("personnes.csv", bad + b"Am\x81lie;Faure;amelie.faure@example.com;;IT division;;7302\r\n")
    expect(page.get_by_role("alert")).to_contain_text("Ligne 3")
    take("import-problems")
    rows = "".join(f"{f};{n};{_ascii(f)}.{_ascii(n)}@example.com;;IT division;;{7301 + i}\r\n"
                   for i, (f, n) in enumerate(IMPORTED))
    importer.open(base_url).upload("personnes.csv", (header + rows).encode("cp1252"))
    importer.expect_finished(len(IMPORTED))
    take("import-progress")

    # The users list: filters with their labels, status badges, pages, a selection for resending invitations.
    page.goto(base_url + "/admin/users?status=invited&size=25")
    boxes = page.locator('input[type=checkbox][form="resend-selected"]')
    boxes.nth(0).check()
    boxes.nth(1).check()
    take("users")
    take("users-pagination", anchor="nav.pager")
    page.get_by_role("button", name="Renvoyer l’invitation aux personnes sélectionnées", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Invitations renvoyées à 2 personnes.")).to_be_visible()
    take("users-bulk-resend")
    take("audit-log", "/admin/audit")
    take("billing", "/admin/billing")

    for path in sorted(DOCS.glob("*.png")):
        width, height = png_size(path)
        print(f"{path.name}: {width}x{height}, {path.stat().st_size // 1024} KiB")
