"""Reflow (WCAG 2.1, 1.4.10): every page an employee and an administrator can reach works at 320 CSS px
without scrolling the page sideways, and no control is pushed off the screen or covered by another.

The pages are found the way a person finds them: from the home page, every link of the app is followed
(one URL per shape of path, so /admin/users/7 and /admin/users/8 count once), first as an employee who
has a speed dial, a contact and a schedule, then as an administrator. Each page is opened once, then
measured at 320, 390, 768 and 1366 px by resizing the window (no reload; one page from the narrowest width
up, the next from the widest down, so that it opens at the width the last one ended with), and checked
with axe at 320 px.
A wide table may scroll inside its own region (an element with overflow-x), never the page. On a phone
(320 and 390 px) the header takes two rows at most, and a table of records ("stack") shows each row as a
card whose cells are labelled by their column's heading."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urldefrag, urlsplit
from zoneinfo import ZoneInfo

import pytest

from e2e.axe import blocking_violations
from e2e.conftest import ORGANIZATION
from e2e.pages import WORDING, ActivationPage, DisplayNamePage, HomePage
from e2e.pages.contacts import ContactsPage
from e2e.pages.schedules import WORDS_FR, SchedulesPage
from e2e.test_activation import STRONG_PASSWORD

WIDTHS = (320, 390, 768, 1366)
PHONE_WIDTHS = (320, 390)
MAX_PAGES = 80  # per person: far more than the app has shapes of pages
# Links that leave, sign out, or answer a file rather than a page.
SKIP = re.compile(r"/(sign-out|logout)\b|\.(vcf|csv|ics|xlsx)$|/export\b|/static/|/demo-mailbox/")

# Run in the page: what does not fit. A control counts when it is focusable and drawn; it is wrong when
# it sticks out of the viewport sideways (unless a scrolling region of its own holds it) or when the
# point at its centre belongs to another element (covered).
MEASURE = r"""() => {
  const width = window.innerWidth;
  const found = {scrollWidth: document.documentElement.scrollWidth, width, outside: [], covered: []};
  const name = (el) => (el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
                        (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').replace(/\s+/g, ' ').trim().slice(0, 40) + '"');
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll'].includes(s.overflowX) && p.scrollWidth > p.clientWidth - 1) return true;
    }
    return false;
  };
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  for (const el of controls) {
    if (el.closest('.skip-link') || el.closest('[hidden]') || el.closest('details:not([open]) > :not(summary)')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // not drawn (visually hidden inputs have a styled label)
    if ((box.left < -1 || box.right > width + 1) && !inScroller(el)) { found.outside.push(name(el)); continue; }
    if (inScroller(el)) continue;
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    const b = el.getBoundingClientRect();
    const x = Math.min(Math.max(b.left + b.width / 2, 0), width - 1), y = b.top + b.height / 2;
    const hit = document.elementFromPoint(x, y);
    const label = el.id ? document.querySelector('label[for="' + CSS.escape(el.id) + '"]') : null;
    if (hit && !(el.contains(hit) || hit.contains(el) || (label && (label.contains(hit) || hit === label))))
      found.covered.push(name(el) + ' under ' + name(hit));
  }
  window.scrollTo(0, 0);
  return found;
}"""


# Run in the page at a phone's width. Header rows: the drawn controls and texts of the header, grouped by
# the line they sit on. Record tables (class "stack"): the header row is hidden from sight (not removed),
# each row is drawn as a card (a block), and each labelled cell draws its label, which is the text of its
# column's heading.
PHONE = r"""() => {
  // Inside a closed disclosure only the summary is drawn (the rest may still have a box).
  const drawn = (el) => { const b = el.getBoundingClientRect();
    return b.width >= 2 && b.height >= 2 && !el.closest('details:not([open]) > :not(summary)'); };
  const rows = [];
  for (const el of document.querySelectorAll('header a, header button, header summary, header .whoami')) {
    if (!drawn(el)) continue;
    const b = el.getBoundingClientRect();
    if (!rows.some(r => b.top < r.bottom - 2 && b.bottom > r.top + 2)) rows.push({top: b.top, bottom: b.bottom});
  }
  const stacks = [];
  for (const table of document.querySelectorAll('table.stack')) {
    if (!drawn(table)) continue;
    const name = (table.caption ? table.caption.textContent : table.className).trim().slice(0, 40);
    const head = table.tHead;
    if (head && head.getBoundingClientRect().height > 1) stacks.push(name + ': its header row is drawn');
    const headings = head ? [...head.rows[0].cells].map(c => c.textContent.replace(/\s+/g, ' ').trim()) : [];
    for (const row of table.tBodies[0] ? table.tBodies[0].rows : []) {
      if (getComputedStyle(row).display !== 'block') { stacks.push(name + ': a row is not a card'); break; }
      for (const cell of row.cells) {
        const label = cell.dataset.label;
        if (label === undefined) continue;
        if (label !== headings[cell.cellIndex]) stacks.push(name + ': label "' + label + '" under heading "' + headings[cell.cellIndex] + '"');
        const before = getComputedStyle(cell, '::before');
        if (cell.textContent.trim() && (before.display === 'none' || !before.content.includes(label)))
          stacks.push(name + ': the label "' + label + '" is not shown (' + before.content + ')');
      }
    }
  }
  return {headerRows: rows.length, stacks};
}"""


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def crawl(page: Any, base_url: str) -> Iterator[str]:
    """Every page of the app reachable by links from the home page, one URL per path shape: each is
    yielded while it is shown, so that it is measured without being loaded again."""
    origin = urlsplit(base_url)
    start = base_url + "/"
    todo, seen_shapes, pages = [start], {_shape("/")}, []
    while todo and len(pages) < MAX_PAGES:
        url = todo.pop(0)
        response = page.goto(url)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        pages.append(page.url)
        yield page.url  # measured here; measuring changes the window's size and scroll, not the links
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = urldefrag(href).url
            parts = urlsplit(link)
            if parts.netloc != origin.netloc or SKIP.search(parts.path):
                continue
            shape = _shape(parts.path) + ("?" if parts.query else "")
            if shape not in seen_shapes:
                seen_shapes.add(shape)
                todo.append(link)


# MEASURE, then at a phone's width PHONE, in one call into the page.
MEASURE_AND_PHONE = f"""(phone) => {{
  const found = ({MEASURE})();
  if (phone) found.phone = ({PHONE})();
  return found;
}}"""


def measure(page: Any, url: str, widths: tuple[int, ...] = WIDTHS) -> Iterator[str]:
    """One line per width that does not reflow, for the page shown (url), measured at ``widths`` in that
    order. The window is resized, the page not loaded again: the layout follows the width alone (media
    queries), and a load costs more than all the measures of a page."""
    for width in widths:
        if page.viewport_size != {"width": width, "height": 800}:
            page.set_viewport_size({"width": width, "height": 800})
        found = page.evaluate(MEASURE_AND_PHONE, width in PHONE_WIDTHS)
        where = f"{width}px {urlsplit(url).path}"
        if found["scrollWidth"] > found["width"]:
            yield f"{where}: the page is {found['scrollWidth']}px wide"
        for control in found["outside"]:
            yield f"{where}: off screen: {control}"
        for control in found["covered"]:
            yield f"{where}: covered: {control}"
        if width in PHONE_WIDTHS:
            yield from phone_layout(found["phone"], where)
        if width == min(WIDTHS):  # the small-screen layout must stay accessible too
            for violation in blocking_violations(page):
                yield f"{where}: axe: {violation}"


def visit_all(page: Any, base_url: str, problems: list[str]) -> list[str]:
    """Crawl, measuring each page as it is shown; the pages' URLs."""
    pages = []
    for url in crawl(page, base_url):
        # every width, from the one the window has now: one resize fewer per page
        widths = WIDTHS if page.viewport_size["width"] <= WIDTHS[0] else WIDTHS[::-1]
        pages.append(url)
        problems.extend(measure(page, url, widths))
    return pages


def phone_layout(found: dict[str, Any], where: str) -> Iterator[str]:
    """The header's rows, and each record table's cards and labels, at a phone's width (PHONE's answer)."""
    if found["headerRows"] > 2:
        yield f"{where}: the header takes {found['headerRows']} rows"
    for problem in found["stacks"]:
        yield f"{where}: stacked table: {problem}"


def _employee_with_data(page: Any, activated_employee: Any, base_url: str, lang: str) -> None:
    activated_employee("Maëlle", "Lefèvre-Bonnaventure", STRONG_PASSWORD, location="IT division")
    contacts = ContactsPage(page, lang).open(base_url)
    contacts.add_speed_dial("07", "+33 6 34 33 32 11", "Portable de Léa")
    contacts.open_new_contact()
    contacts.add_contact("Léa Moreau", "mobile", "+33 6 34 33 32 12")
    if lang == "fr":
        schedules = SchedulesPage(page).open(base_url)
        schedules.start_creating()
        monday = datetime.now(ZoneInfo("Europe/Paris")).date()
        monday -= timedelta(days=monday.weekday())
        schedules.create_weekly("Soirées", "Soir", monday, monday + timedelta(days=1), "18:00", "08:00",
                                WORDS_FR["weekdays"])  # type: ignore[arg-type]


def _administrator(page: Any, cli: Any, lang: str) -> None:
    import secrets

    email = f"reflow.admin.{secrets.token_hex(4)}@example.com"
    out = cli("create-admin", "--organization", ORGANIZATION, "--email", email, "--first-name", "Bérénice",
              "--last-name", "Administratrice", "--locale", lang).stdout
    words = WORDING[lang]
    ActivationPage(page, words).open(out.strip().splitlines()[-1]).create_password(STRONG_PASSWORD)
    DisplayNamePage(page, words).enter("Bérénice Administratrice")
    HomePage(page, words).expect_shown()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_reflows_from_320_px(page, activated_employee, cli, base_url, lang):  # type: ignore[no-untyped-def]
    _employee_with_data(page, activated_employee, base_url, lang)
    problems: list[str] = []
    employee_pages = visit_all(page, base_url, problems)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    _administrator(page, cli, lang)
    admin_pages = visit_all(page, base_url, problems)
    assert len(employee_pages) >= 8 and len(admin_pages) >= 12, (employee_pages, admin_pages)
    assert problems == [], f"{len(problems)} problems on {len(employee_pages) + len(admin_pages)} pages:\n" + \
        "\n".join(problems)
