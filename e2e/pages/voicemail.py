"""Settings > Appel > Messagerie vocale: the voicemail settings and the access code ("code d’accès")."""

from __future__ import annotations

from playwright.sync_api import Page, expect

WORDS = {
    "fr": {"heading": "Messagerie vocale", "pin_heading": "Code d’accès à la messagerie vocale",
           "set_pin": "Définir le code d’accès", "pin": "Nouveau code d’accès",
           "confirm": "Confirmer le code d’accès", "save": "Enregistrer",
           "saved": "Votre code d’accès à la messagerie vocale a été enregistré.",
           "sequence": "N’utilisez pas plus de trois chiffres croissants ou décroissants",
           "busy_upload": "Message d’accueil «\u202foccupé\u202f»",
           "no_answer_upload": "Message d’accueil «\u202fpas de réponse\u202f»",
           "busy_greeting": "Annonce en cas d’occupation",
           "no_answer_greeting": "Annonce en cas de non-réponse", "custom": "Annonce personnalisée",
           "rings": "Nombre de sonneries avant la messagerie vocale", "not_wav": "Ce fichier n’est pas un fichier audio WAV."},
    "en": {"heading": "Voicemail", "pin_heading": "Voicemail access code", "set_pin": "Set the access code",
           "pin": "New access code", "confirm": "Confirm the access code", "save": "Save",
           "saved": "Your voicemail access code has been saved.",
           "sequence": "Do not use more than three ascending or descending digits",
           "busy_upload": "“Busy” greeting", "no_answer_upload": "“No answer” greeting",
           "busy_greeting": "Busy greeting", "no_answer_greeting": "No answer greeting", "custom": "Custom greeting",
           "rings": "Number of rings before voicemail", "not_wav": "This file is not a WAV audio file."},
}


class VoicemailPage:
    def __init__(self, page: Page, lang: str) -> None:
        self.page = page
        self.words = WORDS[lang]

    def open(self, base_url: str) -> VoicemailPage:
        self.page.goto(base_url + "/settings/calling/voicemail")
        expect(self.page.get_by_role("heading", level=1, name=self.words["heading"], exact=True)).to_be_visible()
        return self

    def open_access_code(self) -> None:
        """Follow "Définir le code d’accès" from the voicemail page."""
        self.page.get_by_role("link", name=self.words["set_pin"], exact=True).click()
        expect(self.page.get_by_role("heading", level=1, name=self.words["pin_heading"])).to_be_visible()

    def set_access_code(self, pin: str, confirmation: str | None = None) -> None:
        self.page.get_by_label(self.words["pin"], exact=True).fill(pin)
        self.page.get_by_label(self.words["confirm"], exact=True).fill(pin if confirmation is None else confirmation)
        self.page.get_by_role("button", name=self.words["save"], exact=True).click()

    def expect_refused_for_sequence(self) -> None:
        field = self.page.get_by_label(self.words["pin"], exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(self.page.locator("#pin-error")).to_contain_text(self.words["sequence"])

    def expect_saved(self) -> None:
        expect(self.page.get_by_role("status")).to_contain_text(self.words["saved"])

    def custom_greeting_choice(self, kind: str = "busy"):  # type: ignore[no-untyped-def]
        group = self.page.get_by_role("group", name=self.words[f"{kind}_greeting"], exact=True)
        return group.get_by_label(self.words["custom"], exact=True)

    def choose_greeting_file(self, kind: str, path: str) -> None:
        """Each file control is named after its greeting ("Message d'accueil « occupé »")."""
        self.page.get_by_label(self.words[f"{kind}_upload"], exact=True).set_input_files(path)

    def save_settings(self) -> None:
        """The one save button of the settings form (greeting files go with it)."""
        self.page.get_by_role("button", name=self.words["save"], exact=True).click()

    def upload_greeting(self, kind: str, path: str) -> None:
        self.choose_greeting_file(kind, path)
        self.save_settings()

