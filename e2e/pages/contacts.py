"""Settings > Appel > Contacts: speed dials ("numérotation rapide") and personal contacts."""

from __future__ import annotations

from playwright.sync_api import Page, expect

WORDS = {
    "fr": {"heading": "Contacts", "code": "Code de numérotation rapide",
           "destination": "Numéro de téléphone ou numéro interne", "description": "Description", "add": "Ajouter",
           "speed_dials": "Contacts de numérotation rapide", "add_contact": "Ajouter un contact", "name": "Nom",
           "number": "Numéro de téléphone", "type": "Type", "save": "Enregistrer",
           "contacts": "Contacts de numérotation non abrégée", "row": "Numéro {n}",
           "bad_code": "Saisissez un code de deux chiffres, de 00 à 99 (par exemple 07)."},
    "en": {"heading": "Contacts", "code": "Speed dial code", "destination": "Phone number or extension",
           "description": "Description", "add": "Add", "speed_dials": "Speed dials", "add_contact": "Add a contact",
           "name": "Name", "number": "Phone number", "type": "Type", "save": "Save", "contacts": "Personal contacts",
           "row": "Number {n}", "bad_code": "Enter a code of two digits, from 00 to 99 (for example 07)."},
}


class ContactsPage:
    def __init__(self, page: Page, lang: str) -> None:
        self.page = page
        self.words = WORDS[lang]

    def open(self, base_url: str) -> ContactsPage:
        self.page.goto(base_url + "/settings/calling/contacts")
        self.expect_shown()
        return self

    def expect_shown(self) -> None:
        expect(self.page.get_by_role("heading", level=1, name=self.words["heading"], exact=True)).to_be_visible()

    def add_speed_dial(self, code: str, destination: str, description: str) -> None:
        self.page.get_by_label(self.words["code"], exact=True).fill(code)
        self.page.get_by_label(self.words["destination"], exact=True).fill(destination)
        self.page.get_by_label(self.words["description"], exact=True).fill(description)
        self.page.get_by_role("button", name=self.words["add"], exact=True).click()
        self.expect_shown()

    def type_speed_dial(self, code: str, destination: str, description: str) -> None:
        """As a person does: key by key (a maxlength would cut the code here), then "Ajouter"."""
        self.page.get_by_label(self.words["code"], exact=True).press_sequentially(code)
        self.page.get_by_label(self.words["destination"], exact=True).fill(destination)
        self.page.get_by_label(self.words["description"], exact=True).fill(description)
        self.page.get_by_role("button", name=self.words["add"], exact=True).click()
        self.expect_shown()

    def expect_code_refused(self, typed: str) -> None:
        """The code's message is shown and the field still holds what was typed; no speed dial was added."""
        expect(self.page.get_by_text(self.words["bad_code"]).first).to_be_visible()
        expect(self.page.get_by_label(self.words["code"], exact=True)).to_have_value(typed)
        section = self.page.get_by_role("region", name=self.words["speed_dials"], exact=True)
        expect(section.get_by_role("table")).to_have_count(0)

    def expect_speed_dial(self, code: str, shown_number: str, description: str) -> None:
        section = self.page.get_by_role("region", name=self.words["speed_dials"], exact=True)
        row = section.get_by_role("row").filter(has_text=description)
        expect(row).to_contain_text(code)
        expect(row).to_contain_text(shown_number)

    def open_new_contact(self) -> None:
        """Follow "Ajouter un contact"."""
        self.page.get_by_role("link", name=self.words["add_contact"], exact=True).click()
        expect(self.page.get_by_role("heading", level=1, name=self.words["add_contact"])).to_be_visible()

    def add_contact(self, name: str, number_type: str, number: str) -> None:
        """On "Ajouter un contact": the name and a first number with its type, then "Enregistrer"."""
        self.page.get_by_label(self.words["name"], exact=True).fill(name)
        first = self.page.get_by_role("group", name=self.words["row"].format(n=1), exact=True)
        first.get_by_label(self.words["type"], exact=True).select_option(number_type)
        first.get_by_label(self.words["number"], exact=True).fill(number)
        self.page.get_by_role("button", name=self.words["save"], exact=True).click()
        self.expect_shown()

    def expect_contact(self, name: str, shown_number: str) -> None:
        section = self.page.get_by_role("region", name=self.words["contacts"], exact=True)
        row = section.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text(shown_number)
