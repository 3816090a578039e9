"""The README's screenshots (e2e/screenshots.py). In the suite: one page through the same code, into a
temporary folder, so the command cannot rot, and the French date fields of the pictures. With
USERHUB_E2E_SCREENSHOTS=1 (`python -m e2e.screenshots`): every item of issue 13, into docs/screenshots/.

The browser of this module runs in French (see e2e/screenshots.py): an empty date field reads "jj/mm/aaaa"."""

from __future__ import annotations

import base64
import html
import os
import re
import struct
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, ORGANIZATION
from e2e.liveserver import FLASK, LiveServer, free_port, run
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


def _fits_a_phone(page: Any) -> None:
    """At 320 px (WCAG 1.4.10) the page does not scroll sideways: the mailbox's rows read as cards."""
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    assert page.locator("table.stack").evaluate("t => t.scrollWidth <= t.clientWidth"), page.url


@contextmanager
def _english_page(page: Any, signed_in: bool = True) -> Iterator[Any]:
    """A page of an English Chromium (the suite's usual browser), with the cookies of `page` if signed_in."""
    english = WORDING["en"].browser_locale
    browser = page.context.browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        context = browser.new_context(locale=english, extra_http_headers={"Accept-Language": english})
        if signed_in:
            context.add_cookies(page.context.cookies())
        yield context.new_page()
    finally:
        browser.close()


def _switch_language(page: Any, code: str) -> None:
    """The header's language switch (it saves a signed-in person's choice), then the same page again."""
    page.locator(f'form.language-switch button[value="{code}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def _favicon(page: Any, base_url: str) -> None:
    """The icon as people see it, since a headless browser draws no tab: a tab drawn above the sign-in page
    (the icon at 16 px with the page's title), the icon at larger sizes beside it. The icon and the title are
    the ones the page names (its <link rel="icon">), the page below is its screenshot at each width."""
    page.goto(base_url + "/sign-in")
    href = page.locator('link[rel="icon"]').get_attribute("href")
    icon = page.request.get(base_url + href if href.startswith("/") else href)
    assert icon.ok and icon.headers["content-type"].startswith("image/svg+xml"), href
    source = "data:image/svg+xml;base64," + base64.b64encode(icon.body()).decode()
    title = page.title()
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(base_url + "/sign-in")
        page.evaluate("document.activeElement && document.activeElement.blur()")  # no focus ring in pictures
        shot = "data:image/png;base64," + base64.b64encode(page.screenshot(animations="disabled", caret="hide")).decode()
        page.goto("about:blank")  # not over a page of the portal, whose CSP would drop these inline styles
        page.set_content(FAVICON_PAGE.format(icon=source, title=html.escape(title), shot=shot))
        expect(page.locator("img.tab-icon")).to_have_js_property("complete", True)
        assert page.locator("img.tab-icon").evaluate("i => i.naturalWidth") > 0  # the served icon was drawn
        shoot(page, DOCS, Shot("favicon", "/static/favicon.svg"), ((width, height),))


FAVICON_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>
body {{ margin: 0; font: 14px system-ui, sans-serif; background: #dee1e6; }}
.strip {{ display: flex; align-items: flex-end; height: 40px; padding: 0 8px; }}
.tab {{ display: flex; gap: 8px; align-items: center; background: #fff; border-radius: 8px 8px 0 0; padding: 9px 14px;
        max-width: 240px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.sizes {{ display: flex; gap: 24px; align-items: flex-end; padding: 16px; background: #fff; border-bottom: 1px solid #ccc; }}
.sizes figure {{ margin: 0; text-align: center; color: #444; font-size: 12px; }}
.page {{ display: block; width: 100%; }}
</style></head><body>
<div class="strip"><div class="tab"><img class="tab-icon" src="{icon}" width="16" height="16" alt=""><span>{title}</span></div></div>
<div class="sizes"><figure><img src="{icon}" width="16" height="16" alt=""><figcaption>16 px</figcaption></figure>
<figure><img src="{icon}" width="32" height="32" alt=""><figcaption>32 px</figcaption></figure>
<figure><img src="{icon}" width="64" height="64" alt=""><figcaption>64 px</figcaption></figure></div>
<img class="page" src="{shot}" alt="">
</body></html>"""


def _console_mailbox(page: Any, folder: Path, cli: Any) -> None:
    """A second server as the demo runs it (USERHUB_MAIL_TRANSPORT=console, no SMTP server), an invitation
    queued by its CLI, and its /demo-mailbox/ shown in this page (stopped before returning)."""
    (folder / "console").mkdir()
    server = LiveServer(folder / "console", smtp_port=free_port())
    for env in (server.env, server.cli_env):
        env["USERHUB_MAIL_TRANSPORT"] = "console"
        env.pop("USERHUB_SMTP_HOST", None)
    try:
        server.start()
        run([*FLASK, "invite-user", "--organization", ORGANIZATION, "--email", "lea.garnier@example.com",
             "--first-name", "Léa", "--last-name", "Garnier", "--locale", "fr"], server.cli_env)
        page.goto(server.base_url + "/demo-mailbox/")
        expect(page.get_by_text("En mode démonstration, les courriels ne sont pas envoyés")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Activez votre compte|Activer"))).to_be_visible()
        _fits_a_phone(page)
    finally:
        server.stop()


def _email(page: Any, mail: Any, name: str, message: Any) -> None:
    """An email as its reader sees it: its HTML part drawn by the browser, at a laptop's and a phone's width."""
    page.goto("about:blank")  # not over a page of the portal, whose CSP would drop the email's inline styles
    page.set_content(mail.html(message))
    expect(page.get_by_role("link", name=re.compile("^(Activer|Activate)$"))).to_have_css("color", "rgb(255, 255, 255)")
    shoot(page, DOCS, Shot(name, "(email)"))


@pytest.mark.skipif(not os.environ.get(FULL_RUN), reason="makes docs/screenshots/: python -m e2e.screenshots")
@pytest.mark.parametrize("lang", ["fr"])
def test_readme_screenshots(page, words, mail, cli, base_url, lang, _server, tmp_path):  # type: ignore[no-untyped-def]
    def take(name: str, path: str | None = None, anchor: str | None = None, taller: int = 0, on: Any = None) -> None:
        """The page at `path` (None: the page now shown), at each width, from `anchor` if it is far down; in
        the page `on` (an English browser's) rather than this module's French one if given."""
        shown = on or page
        if path is not None:
            shown.goto(base_url + path)
        shoot(shown, DOCS, Shot(name, path or shown.url, anchor),
              tuple((width, height + taller) for width, height in WIDTHS))

    page.set_viewport_size({"width": 1366, "height": 900})
    take("sign-in", "/sign-in")
    _favicon(page, base_url)

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

    # The main pages in English: the same person switches the language (her choice is saved), and they are
    # drawn by an English browser (a French one writes an English page's empty date field "mm/jj/aaaa").
    _switch_language(page, "en")
    with _english_page(page) as english_page:
        english_page.goto(base_url + "/settings/calling")
        english_page.get_by_label("Caller's number", exact=True).fill("01 84 88 32 01")
        english_page.get_by_role("button", name="Show the way", exact=True).click()
        expect(english_page.get_by_test_id("routing-panel").locator("li").first).to_be_visible()
        take("calling-overview-route-en", anchor='[data-testid="routing-panel"]', on=english_page)
        take("call-forwarding-en", "/settings/calling/call-forwarding", on=english_page)
        take("rules-list-en", "/settings/calling/selective-reject", anchor="table.rules-list", on=english_page)
        take("voicemail-en", "/settings/calling/voicemail", on=english_page)
        take("schedules-en", "/settings/calling/schedules", anchor="table.week", on=english_page)

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
    gate = _server.job_gate if _server is not None else None  # e2e/job_gate.py: held after its first chunk
    if gate is not None:
        gate.touch()
    importer.open(base_url).upload("personnes.csv", (header + rows).encode("cp1252"))
    if gate is not None:
        status = page.get_by_role("status")
        expect(status).to_contain_text(f"20 sur {len(IMPORTED)} traités", timeout=20_000)
        expect(status).to_contain_text("Il reste environ")  # the time left, at the rate so far
        expect(status).not_to_contain_text("Terminé")
        take("import-progress")  # mid-way: rows checked, 20 imported, the time left
        gate.unlink()
    importer.expect_finished(len(IMPORTED))
    take("import-finished")

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
    # A location in Berlin: its zone menu and the audit log name the zone in French, not « Europe/Berlin ».
    page.goto(base_url + "/admin/locations/new")
    page.locator("#name").fill("Berlin")
    page.locator("#country").fill("DE")
    page.locator("#time_zone").select_option("Europe/Berlin")
    expect(page.locator("#time_zone option:checked")).to_have_text("heure d’Europe centrale (Berlin)")
    take("location-new")
    page.get_by_role("button", name="Créer", exact=True).click()
    expect(page.get_by_role("heading", name="Berlin", exact=True)).to_be_visible()
    page.goto(base_url + "/admin/audit")
    expect(page.get_by_text("Allemagne, fuseau horaire heure d’Europe centrale (Berlin)")).to_be_visible()
    expect(page.get_by_text("Europe/Berlin")).to_have_count(0)
    take("audit-log")
    take("billing", "/admin/billing")
    # The demo mailbox of a server that sends through SMTP says so, with each message's delivery.
    page.goto(base_url + "/demo-mailbox/")
    expect(page.get_by_text("Les courriels sont envoyés par le serveur SMTP 127.0.0.1")).to_be_visible()
    _fits_a_phone(page)
    take("demo-mailbox-smtp")

    # The administrator's main pages in English: the users list and the wizard's step 2 (a location with free
    # numbers: the first one chosen, its extension proposed by the page).
    _switch_language(page, "en")
    with _english_page(page) as english_page:
        take("users-en", "/admin/users?status=invited&size=25", on=english_page)
        english_page.goto(base_url + "/admin/users/add")
        english_page.get_by_label("Names and email addresses", exact=True).check()
        english_page.get_by_label("First name (row 1)", exact=True).fill("Oliver")
        english_page.get_by_label("Last name (row 1)", exact=True).fill("Hughes")
        english_page.get_by_label("Email address (row 1)", exact=True).fill("oliver.hughes.2@example.com")
        english_page.get_by_label("Package (row 1)", exact=True).select_option(label="Webex Calling")
        english_page.get_by_role("button", name="Next", exact=True).click()
        AddUsersWizard(english_page).wait_for_script()
        oliver = "oliver.hughes.2@example.com"
        english_page.get_by_label(f"Location ({oliver})", exact=True).select_option(label="Our Headquarter")
        menu = english_page.get_by_label(f"Phone number ({oliver})", exact=True)
        menu.select_option(menu.locator("optgroup:not([disabled]) option").first.get_attribute("value"))
        expect(english_page.get_by_label(f"Extension ({oliver})", exact=True)).not_to_have_value("")
        take("wizard-en", on=english_page)

    # Signed out, the sign-in page of a browser that asks for English.
    with _english_page(page, signed_in=False) as english_page:
        take("sign-in-en", "/sign-in", on=english_page)

    # The demo's own mailbox (no SMTP server: the console transport) says that nothing is sent.
    _console_mailbox(page, tmp_path, cli)
    shoot(page, DOCS, Shot("demo-mailbox-demo", "/demo-mailbox/"))

    for path in sorted(DOCS.glob("*.png")):
        width, height = png_size(path)
        print(f"{path.name}: {width}x{height}, {path.stat().st_size // 1024} KiB")
