"""Settings > Calling > "Programmations": the person's schedules and the week view (French wording of the
article "User Hub pour Webex Calling" and of "Créer des planifications pour les paramètres d’appel")."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Locator, Page, expect

WORDS_FR = {
    "heading": "Programmations",
    "create": "Créer une planification",
    "schedule_name": "Nom de la planification",
    "event_name": "Nom de l’événement",
    "start_date": "Date de début",
    "start_time": "Heure de début",
    "end_date": "Date de fin",
    "end_time": "Heure de fin",
    "repeats": "Répétition",
    "weekly": "Toutes les semaines",
    "save": "Enregistrer",
    "in_effect": "En vigueur",
    "next_week": "Semaine suivante",
    "error_summary": "Veuillez corriger les points suivants\u00a0:",
    "weekdays": ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi"),
    "calling": "Appel",
}


class SchedulesPage:
    def __init__(self, page: Page, words: dict[str, object] = WORDS_FR) -> None:
        self.page = page
        self.words = words

    def open(self, base_url: str) -> SchedulesPage:
        self.page.goto(base_url + "/settings/calling/schedules")
        return self

    def expect_shown(self) -> None:
        expect(self.page.get_by_role("heading", level=1, name=str(self.words["heading"]))).to_be_visible()

    def start_creating(self) -> None:
        self.page.get_by_role("link", name=str(self.words["create"]), exact=True).click()

    def _field(self, key: str) -> Locator:
        return self.page.get_by_label(str(self.words[key]), exact=True)

    def save(self) -> None:
        self.page.get_by_role("button", name=str(self.words["save"]), exact=True).click()

    def create_weekly(self, name: str, event: str, start: date, end: date, start_time: str, end_time: str,
                      days: tuple[str, ...]) -> None:
        """Fill "Créer une planification" with one weekly event, then "Enregistrer"."""
        self._field("schedule_name").fill(name)
        self._field("event_name").fill(event)
        self._field("start_date").fill(start.isoformat())
        self._field("start_time").fill(start_time)
        self._field("end_date").fill(end.isoformat())
        self._field("end_time").fill(end_time)
        self._field("repeats").select_option(label=str(self.words["weekly"]))
        for day in days:
            self.page.get_by_label(day, exact=True).check()
        self.save()

    def expect_errors(self) -> None:
        expect(self.page.get_by_role("heading", name=str(self.words["error_summary"]))).to_be_visible()

    def week(self, schedule_name: str) -> Locator:
        """The week table of one schedule, found by its caption."""
        return self.page.get_by_role("table", name=re.compile(rf"^{re.escape(schedule_name)},"))

    def in_effect(self, schedule_name: str, hour: str, day_index: int) -> bool:
        """Whether the week view marks the hour ("18:00") of the day (0 = Monday) as in effect."""
        row = self.week(schedule_name).get_by_role("row").filter(has=self.page.get_by_role("rowheader", name=hour, exact=True))
        return row.get_by_role("cell").nth(day_index).inner_text().strip() == self.words["in_effect"]

    def next_week(self) -> None:
        self.page.get_by_role("link", name=str(self.words["next_week"]), exact=True).first.click()

    def expect_week_of(self, long_date: str) -> None:
        """The week the page shows ("Semaine du 5 juillet 2027")."""
        expect(self.page.get_by_text(f"Semaine du {long_date}", exact=True).first).to_be_visible()

    def expect_calling_highlighted(self) -> None:
        """The "Appel" menu entry and the "Programmations" tab stay current on every schedule page."""
        menu = self.page.get_by_role("link", name=str(self.words["calling"]), exact=True)
        expect(menu).to_have_attribute("aria-current", "page")
        tab = self.page.get_by_role("link", name=str(self.words["heading"]), exact=True)
        expect(tab).to_have_attribute("aria-current", "page")

