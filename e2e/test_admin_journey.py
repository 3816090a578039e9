"""An administrator follows the guide "Créer des utilisateurs" in French: adds a user with a number and
an extension through the wizard, the user activates from the email, shows "Actif", is deleted,
and can no longer sign in."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect

from e2e.axe import assert_accessible
from e2e.conftest import ORGANIZATION
from e2e.pages import ActivationPage, DisplayNamePage, HomePage, SignInPage
from e2e.pages.admin import AddUsersWizard, DeleteUserPage, UsersAdminPage

PASSWORD = "abcXq7#Lumen-Fjord9"


def _activate(page, words, link: str, name: str) -> None:  # type: ignore[no-untyped-def]
    ActivationPage(page, words).open(link).create_password(PASSWORD)
    DisplayNamePage(page, words).enter(name)
    HomePage(page, words).expect_shown()


@pytest.mark.parametrize("lang", ["fr"])
def test_admin_adds_a_user_who_activates_then_deletes_them(page, words, mail, cli, base_url, lang):  # type: ignore[no-untyped-def]
    # An administrator of the demo organization, activated with a password we know.
    admin_email = f"admin.{secrets.token_hex(4)}@example.com"
    out = cli("create-admin", "--organization", ORGANIZATION, "--email", admin_email, "--first-name", "Alice",
              "--last-name", "Admin", "--locale", "fr").stdout
    _activate(page, words, out.strip().splitlines()[-1], "Alice Admin")

    # "Gestion des utilisateurs" from the menu.
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Utilisateurs").click()
    users = UsersAdminPage(page)
    users.expect_shown()
    assert_accessible(page)

    # Step 1: "Informations de base", names and address, a package.
    email = f"robert.redford.{secrets.token_hex(4)}@example.com"
    users.add_users()
    wizard = AddUsersWizard(page)
    wizard.fill_person(0, "Robert", "Redford", email, "Webex Calling")
    assert_accessible(page)
    wizard.next()

    # Step 2: "Attribuer des numéros": location, a free number, its last four digits proposed as extension.
    number, extension = wizard.assign(email, "IT division")
    expect(extension).to_have_value(number[-4:])
    assert_accessible(page)
    wizard.allocate()

    # Step 3: "Terminer".
    wizard.expect_done("1 utilisateur ajouté")
    assert_accessible(page)

    # The new user gets the activation email (automatic activation emails) and activates.
    message = mail.wait_for(to=email, subject_contains=words.activation_subject.format(organization=ORGANIZATION))
    link = mail.link(message, words.activate_button)
    employee = page.context.browser.new_context(locale=words.browser_locale,
                                                extra_http_headers={"Accept-Language": words.browser_locale})
    try:
        employee_page = employee.new_page()
        _activate(employee_page, words, link, "Robert Redford")

        # The administrator sees them "Actif", then deletes them from the row menu.
        users.open(base_url, search=email)
        users.expect_status(email, "Actif")
        users.delete_from_row_menu(email)
        confirmation = DeleteUserPage(page)
        confirmation.expect_warning()
        assert_accessible(page)
        confirmation.confirm()
        users.expect_shown()
        users.expect_absent(email)

        # Their session has ended, and they cannot sign in again.
        employee_page.reload()
        sign_in = SignInPage(employee_page, words)
        sign_in.expect_shown()
        sign_in.enter_email(email)
        expect(employee_page.get_by_label(words.password, exact=True)).to_be_visible()
        sign_in.enter_password(PASSWORD)
        expect(employee_page.get_by_role("heading", level=1, name=words.home_heading)).to_have_count(0)
        sign_in.expect_shown()
    finally:
        employee.close()
