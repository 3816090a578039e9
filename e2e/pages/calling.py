"""Settings > Calling > Call settings ("Paramètres d’appel"): the overview and the feature pages,
found by the words a person reads in each language."""

from __future__ import annotations

from playwright.sync_api import Page, expect

CALLING_WORDS = {
    "fr": {
        "tab": "Paramètres d’appel", "forwarding": "Renvoi d’appel", "sim_ring": "Sonnerie simultanée",
        "busy": "Renvoyer les appels quand je suis occupé", "forward_to": "Renvoyer vers",
        "ring_number": "Faire sonner ce numéro",
        "enable_sim": "Faire sonner ces numéros en même temps que mon téléphone",
        "phone_number": "Numéro de téléphone", "add_number": "Ajouter un numéro", "save": "Enregistrer",
        "saved": "vos modifications ont été enregistrées", "busy_summary": "En cas d’occupation vers",
        "history": "Historique de mes modifications",
        "where": "Où va mon appel ?", "dnd": "Ne pas déranger", "turn_on": "Activer", "turn_off": "Désactiver",
        "on": "Activé", "off": "Désactivé",
    },
    "en": {
        "tab": "Call settings", "forwarding": "Call Forwarding", "sim_ring": "Simultaneous Ring",
        "busy": "Forward calls when I am busy", "forward_to": "Forward to",
        "ring_number": "Ring this number",
        "enable_sim": "Ring these numbers at the same time as my phone",
        "phone_number": "Phone number", "add_number": "Add a number", "save": "Save",
        "saved": "your changes were saved", "busy_summary": "When busy to",
        "history": "History of my changes",
        "where": "Where will my call go?", "dnd": "Do Not Disturb", "turn_on": "Turn on", "turn_off": "Turn off",
        "on": "On", "off": "Off",
    },
}


class CallSettingsPage:
    def __init__(self, page: Page, lang: str) -> None:
        self.page = page
        self.words = CALLING_WORDS[lang]

    def open_overview(self, base_url: str) -> CallSettingsPage:
        self.page.goto(base_url + "/settings/calling")
        expect(self.page.get_by_role("heading", level=1, name=self.words["tab"], exact=True)).to_be_visible()
        return self

    def open_feature(self, key: str) -> None:
        self.page.get_by_role("link", name=self.words[key], exact=True).click()
        expect(self.page.get_by_role("heading", level=1, name=self.words[key], exact=True)).to_be_visible()

    def forward_when_busy(self, number: str) -> None:
        details = self.page.locator("#busy-details")  # four "Forward to" fields: one per case
        expect(details).to_be_hidden()  # a group's details show only once it is switched on
        self.page.get_by_label(self.words["busy"], exact=True).check()
        expect(details).to_be_visible()
        details.get_by_label(self.words["forward_to"], exact=True).fill(number)
        expect(details.get_by_label(self.words["ring_number"], exact=True)).to_be_checked()
        self.save()

    def ring_simultaneously(self, *numbers: str) -> None:
        self.page.get_by_label(self.words["enable_sim"], exact=True).check()
        for index, number in enumerate(numbers):
            field = self.page.get_by_label(self.words["phone_number"], exact=True).nth(index)
            if index:  # calling-rows.js adds the blank row in the page and moves the focus to it
                self.page.get_by_role("button", name=self.words["add_number"], exact=True).click()
                expect(field).to_be_focused()
            field.fill(number)
        self.save()

    def save(self) -> None:
        self.page.get_by_role("button", name=self.words["save"], exact=True).click()
        expect(self.page.get_by_role("status")).to_contain_text(self.words["saved"])

    def row(self, key: str):  # type: ignore[no-untyped-def]
        header = self.page.get_by_role("rowheader", name=self.words[key], exact=True)
        return self.page.get_by_role("row").filter(has=header)

    def switch_do_not_disturb(self, on: bool) -> None:
        """The overview's own switch: a small form, no JavaScript needed."""
        verb = self.words["turn_on"] if on else self.words["turn_off"]
        self.page.get_by_role("button", name=f"{verb} – {self.words['dnd']}", exact=True).click()
        expect(self.page.get_by_role("status")).to_contain_text(self.words["saved"])
        switch = self.page.locator('[data-switch="do-not-disturb"]')
        expect(switch).to_contain_text(self.words["on"] if on else self.words["off"])

    def follow_route_step(self, name: str) -> None:
        """A step of "Where will my call go?" leads to the setting that causes it."""
        self.page.get_by_role("link", name=self.words["where"], exact=True).click()
        self.page.get_by_test_id("routing-panel").get_by_role("link", name=name, exact=True).click()
        expect(self.page.get_by_role("heading", level=2, name=name, exact=True)).to_be_visible()

