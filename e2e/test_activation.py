"""An employee activates their account, as in the guide "Créer des utilisateurs" (steps 1 to 5),
then signs in again as the article "User Hub pour Webex Calling" says ("Se connecter").

Test names avoid the letters "en" so that `-k en` / `-k fr` select one language.
"""

from __future__ import annotations

import re

import pytest

from e2e.conftest import ORGANIZATION
from e2e.pages import ActivationPage, DisplayNamePage, HomePage, LinkProblemPage, SignInPage

# Typed one key at a time in the journey; strong for the server too (zxcvbn score >= 3).
STRONG_PASSWORD = "abcXq7#Lumen-Fjord9"
PEOPLE = {"fr": ("Élodie", "Fauré"), "en": ("Noah", "Bailey")}

languages = pytest.mark.parametrize("lang", ["fr", "en"])


def _activation_link(mail, words, person) -> str:  # type: ignore[no-untyped-def]
    """Step 1: the activation email, in the person's language, carries the "Activer" button and a
    six-digit confirmation code, in its HTML and its plain-text parts alike."""
    subject = words.activation_subject.format(organization=ORGANIZATION)
    message = mail.wait_for(to=person.email, subject_contains=subject)
    link = mail.link(message, words.activate_button)
    assert re.search(r"/activate/[\w-]{20,}$", link), link
    assert link in mail.text(message), "the plain-text part must carry the same link"
    code = re.search(r"(?<!\d)\d{6}(?!\d)", mail.text(message))
    assert code, "no six-digit confirmation code in the plain-text part"
    assert code.group() in mail.html(message), "the HTML part must show the same code"
    return link


@languages
def test_activation_journey_and_sign_in_again(page, words, mail, invite, lang):  # type: ignore[no-untyped-def]
    person = invite(*PEOPLE[lang])
    link = _activation_link(mail, words, person)

    # Step 2: "Créer un mot de passe", the checklist ticking as the person types.
    activation = ActivationPage(page, words).open(link)
    activation.expect_shown()
    # The token stays in the email's link: the page's own address (history, Referer, logs) holds none.
    assert page.url.endswith("/activate") and link.rsplit("/", 1)[1] not in page.url, page.url
    activation.expect_language(lang)
    activation.expect_checklist(digit=False, upper=False, lower=False, special=False, length=False, personal=False)
    activation.type_password("abc")
    activation.expect_checklist(lower=True, upper=False, digit=False, special=False, length=False, personal=True)
    activation.type_password("X")
    activation.expect_checklist(upper=True, digit=False)
    activation.type_password("q7")
    activation.expect_checklist(digit=True, special=False)
    activation.type_password("#")
    activation.expect_checklist(special=True, length=False)  # 7 characters so far
    activation.type_password("L")
    activation.expect_checklist(length=True)
    activation.type_password(STRONG_PASSWORD[len("abcXq7#L"):])
    activation.expect_checklist(digit=True, upper=True, lower=True, special=True, length=True, personal=True)
    assert activation.checklist_state() == dict.fromkeys(
        ("digit", "upper", "lower", "special", "length", "personal"), True)
    activation.confirm_and_submit(STRONG_PASSWORD)

    # Step 4: "Saisissez votre nom", prefilled with the first and last names.
    name_page = DisplayNamePage(page, words)
    name_page.expect_shown()
    name_page.expect_name(person.full_name)
    chosen_name = f"{person.first_name[:3]} {person.last_name}"
    name_page.enter(chosen_name)

    # Step 5: the home page, signed in under the chosen name.
    home = HomePage(page, words)
    home.expect_shown()
    home.expect_language(lang)
    home.expect_signed_in_as(chosen_name)

    # Sign out, then "Se connecter": the email address first, then the password.
    home.sign_out()
    sign_in = SignInPage(page, words)
    sign_in.expect_shown()
    sign_in.expect_signed_out_message()
    sign_in.sign_in(person.email, STRONG_PASSWORD)
    home.expect_shown()
    home.expect_signed_in_as(chosen_name)


@languages
def test_weak_password_is_refused_with_the_rules_named(page, words, mail, invite, lang):  # type: ignore[no-untyped-def]
    person = invite(*PEOPLE[lang])
    activation = ActivationPage(page, words).open(_activation_link(mail, words, person))

    activation.create_password("abcdefgh")
    activation.expect_password_refused(words.rule_digit, words.rule_upper, words.rule_special)

    # The checklist ticks everything for this one, but the server finds it too easy to guess.
    activation.type_password("Password1!")
    activation.expect_checklist(digit=True, upper=True, lower=True, special=True, length=True, personal=True)
    assert activation.checklist_state() == dict.fromkeys(
        ("digit", "upper", "lower", "special", "length", "personal"), True)
    activation.confirm_and_submit("Password1!")
    activation.expect_password_refused()

    # Neither attempt used up the link: a strong password is still accepted.
    activation.create_password(STRONG_PASSWORD)
    DisplayNamePage(page, words).expect_shown()


@languages
def test_activation_link_works_only_once(page, words, mail, invite, lang):  # type: ignore[no-untyped-def]
    person = invite(*PEOPLE[lang])
    link = _activation_link(mail, words, person)
    ActivationPage(page, words).open(link).create_password(STRONG_PASSWORD)
    DisplayNamePage(page, words).expect_shown()

    response = page.goto(link)
    assert response is not None and response.status == 410  # Gone: it worked once, never again
    LinkProblemPage(page, words).expect_already_used()

    # A fresh browser, someone else who got hold of the link, is told the same.
    other = page.context.browser.new_context(locale=words.browser_locale)
    try:
        other_page = other.new_page()
        other_page.goto(link)
        LinkProblemPage(other_page, words).expect_already_used()
    finally:
        other.close()
