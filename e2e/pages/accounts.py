"""Accounts pages: activation (guide "Créer des utilisateurs", steps 2 to 5), sign-in and sign-out
(article "User Hub pour Webex Calling", "Se connecter")."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from .wording import Wording

CHECKLIST_RULES = ("digit", "upper", "lower", "special", "length", "personal")


class _Page:
    def __init__(self, page: Page, words: Wording) -> None:
        self.page = page
        self.words = words

    def _heading(self, text: str) -> Locator:
        return self.page.get_by_role("heading", level=1, name=text, exact=True)

    def _button(self, text: str) -> Locator:
        return self.page.get_by_role("button", name=text, exact=True)

    def _field(self, label: str) -> Locator:
        return self.page.get_by_label(label, exact=True)

    def expect_language(self, lang: str) -> None:
        """The page says which language it is in (screen readers pick their voice from it)."""
        expect(self.page.locator("html")).to_have_attribute("lang", lang)


class ActivationPage(_Page):
    """"Créer un mot de passe": the page the "Activer" link of the activation email opens."""

    def open(self, activation_url: str) -> ActivationPage:
        self.page.goto(activation_url)
        return self

    def expect_shown(self) -> None:
        expect(self._heading(self.words.create_password_heading)).to_be_visible()

    @property
    def password_field(self) -> Locator:
        return self._field(self.words.password)

    @property
    def checklist(self) -> Locator:
        return self.page.get_by_role("region", name=self.words.checklist_title)

    def type_password(self, characters: str) -> None:
        """Type after what is already there, one key at a time, as a person does."""
        self.password_field.press_sequentially(characters)

    def checklist_state(self) -> dict[str, bool]:
        """Which rules of "Critères de sécurité obligatoires du mot de passe" are ticked now."""
        items = self.checklist.locator("li[data-rule]")
        return dict(items.evaluate_all("els => els.map(e => [e.dataset.rule, e.dataset.ok === 'true'])"))

    def expect_checklist(self, **ticked: bool) -> None:
        """Wait until each named rule is ticked (True) or not (False): digit, upper, lower, special,
        length, personal (the "Ne doit pas contenir" rule is ticked when the password avoids them)."""
        for rule, value in ticked.items():
            assert rule in CHECKLIST_RULES, f"unknown checklist rule {rule!r}"
            item = self.checklist.locator(f'li[data-rule="{rule}"]')
            expect(item, f"checklist rule {rule!r}").to_have_attribute("data-ok", "true" if value else "false")

    def create_password(self, password: str, confirmation: str | None = None) -> None:
        """Fill the password and its confirmation, then press "Créer"."""
        self.password_field.fill(password)
        self._field(self.words.confirm_password).fill(password if confirmation is None else confirmation)
        self.submit()

    def confirm_and_submit(self, password: str) -> None:
        """The password was typed already: confirm it and press "Créer"."""
        self._field(self.words.confirm_password).fill(password)
        self.submit()

    def submit(self) -> None:
        self._button(self.words.create_button).click()

    def expect_password_refused(self, *reasons: str) -> None:
        """The server refused the password: the field is marked invalid and its description (the
        error list tied to it with aria-describedby) names each reason."""
        self.expect_shown()
        expect(self.password_field).to_have_attribute("aria-invalid", "true")
        expect(self.password_field).to_have_accessible_description(re.compile(r"\S"))
        for reason in reasons:
            expect(self.password_field).to_have_accessible_description(re.compile(re.escape(reason)))


class DisplayNamePage(_Page):
    """"Saisissez votre nom": the name people will see when this person calls or messages them."""

    def expect_shown(self) -> None:
        expect(self._heading(self.words.name_heading)).to_be_visible()

    @property
    def name_field(self) -> Locator:
        return self._field(self.words.name_field)

    def expect_name(self, name: str) -> None:
        expect(self.name_field).to_have_value(name)

    def enter(self, name: str) -> None:
        """Type the name, then press "Entrer"."""
        self.name_field.fill(name)
        self._button(self.words.enter_button).click()


class HomePage(_Page):
    """"Passer un appel ou rejoindre une réunion": where a signed-in person arrives."""

    def open(self, base_url: str) -> HomePage:
        self.page.goto(base_url + "/")
        return self

    def expect_shown(self) -> None:
        expect(self._heading(self.words.home_heading)).to_be_visible()

    def expect_signed_in_as(self, display_name: str) -> None:
        banner = self.page.get_by_role("banner")
        expect(banner.get_by_text(display_name, exact=True)).to_be_visible()
        expect(banner.get_by_role("button", name=self.words.sign_out_button, exact=True)).to_be_visible()

    def sign_out(self) -> None:
        self.page.get_by_role("banner").get_by_role("button", name=self.words.sign_out_button, exact=True).click()


class SignInPage(_Page):
    """Sign in as the User Hub article says: the email address first, then the password."""

    def open(self, base_url: str) -> SignInPage:
        self.page.goto(base_url + "/sign-in")
        return self

    def expect_shown(self) -> None:
        expect(self._heading(self.words.sign_in_heading)).to_be_visible()

    def expect_signed_out_message(self) -> None:
        expect(self.page.get_by_role("status")).to_contain_text(self.words.signed_out_message)

    def enter_email(self, email: str) -> None:
        self._field(self.words.email_field).fill(email)
        self._button(self.words.sign_in_button).click()

    def enter_password(self, password: str) -> None:
        self._field(self.words.password).fill(password)
        self._button(self.words.sign_in_button).click()

    def sign_in(self, email: str, password: str) -> None:
        self.enter_email(email)
        expect(self._field(self.words.password)).to_be_visible()  # the second step of the sign-in
        self.enter_password(password)


class LinkProblemPage(_Page):
    """What an activation link shows once it can no longer be used."""

    def expect_already_used(self) -> None:
        expect(self._heading(self.words.link_problem_heading)).to_be_visible()
        expect(self.page.get_by_text(self.words.link_used, exact=True)).to_be_visible()
