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
        "add_rule": "Ajouter une règle", "rule_name": "Nom de la règle", "when": "Quand",
        "calls_from": "Appels provenant de", "rule": "Règle", "selected": "Numéros de téléphone sélectionnés",
        "numbers": "Numéros précis, un par ligne (jusqu’à 12)", "edit": "Modifier", "delete": "Supprimer",
        "rule_saved": "a été enregistrée", "rule_deleted": "a été supprimée",
        "create_schedule": "Créer une planification",
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
        "add_rule": "Add a rule", "rule_name": "Rule name", "when": "When",
        "calls_from": "Calls from", "rule": "Rule", "selected": "Selected phone numbers",
        "numbers": "Specific numbers, one per line (up to 12)", "edit": "Edit", "delete": "Delete",
        "rule_saved": "was saved", "rule_deleted": "was deleted",
        "create_schedule": "Create a schedule",
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
        expect(self.page.get_by_role("heading", level=1, name=name, exact=True)).to_be_visible()

    # --- rules: a list of rows on the feature page, one rule's form on its own page ------------------
    def rule_row(self, name: str):  # type: ignore[no-untyped-def]
        header = self.page.get_by_role("rowheader", name=name, exact=True)
        return self.page.locator("table.rules-list tr").filter(has=header)

    def fill_rule(self, name: str | None = None, when: str | None = None, rule: str | None = None,
                  calls_from: str | None = None, numbers: str | None = None) -> None:
        """On a rule's page: fill what is given (labels as the person reads them), then save."""
        if name is not None:
            self.page.get_by_label(self.words["rule_name"], exact=True).fill(name)
        if rule is not None:
            self.page.get_by_label(self.words["rule"], exact=True).select_option(label=rule)
        if when is not None:
            self.page.get_by_label(self.words["when"], exact=True).select_option(label=when)
        if calls_from is not None:
            self.page.get_by_label(self.words["calls_from"], exact=True).select_option(label=calls_from)
        if numbers is not None:
            self.page.get_by_label(self.words["numbers"], exact=True).fill(numbers)
        self.page.get_by_role("button", name=self.words["save"], exact=True).click()
        expect(self.page.get_by_role("status")).to_contain_text(self.words["rule_saved"])

    def add_rule(self, name: str, **fields: str) -> None:
        self.page.get_by_role("link", name=self.words["add_rule"], exact=True).click()
        self.fill_rule(name=name, **fields)
        expect(self.rule_row(name)).to_be_visible()

    def edit_rule(self, current: str, **fields: str) -> None:
        self.rule_row(current).get_by_role("link", name=f"{self.words['edit']} {current}", exact=True).click()
        self.fill_rule(**fields)

    def delete_rule(self, name: str) -> None:
        """Deleting asks first: a confirmation page, then the button."""
        self.rule_row(name).get_by_role("link", name=f"{self.words['delete']} {name}", exact=True).click()
        self.page.get_by_role("button", name=self.words["delete"], exact=True).click()
        expect(self.page.get_by_role("status")).to_contain_text(self.words["rule_deleted"])
        expect(self.rule_row(name)).to_have_count(0)
