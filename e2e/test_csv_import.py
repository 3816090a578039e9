"""An administrator imports people from a file as a French Excel saves it ("CSV (séparateur : point-virgule)",
Windows-1252), through the real import page, and finds them, accents intact, in the users list."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect

from e2e.axe import assert_accessible
from e2e.conftest import ORGANIZATION
from e2e.pages import ActivationPage, DisplayNamePage, HomePage
from e2e.pages.admin import ImportUsersPage, UsersAdminPage

PASSWORD = "abcXq7#Lumen-Fjord9"


@pytest.mark.parametrize("lang", ["fr"])
def test_a_semicolon_windows_1252_file_is_imported_through_the_page(page, words, cli, base_url, lang):  # type: ignore[no-untyped-def]
    tag = secrets.token_hex(3)
    admin_email = f"admin.{tag}@example.com"
    out = cli("create-admin", "--organization", ORGANIZATION, "--email", admin_email, "--first-name", "Alice",
              "--last-name", "Admin", "--locale", "fr").stdout
    ActivationPage(page, words).open(out.strip().splitlines()[-1]).create_password(PASSWORD)
    DisplayNamePage(page, words).enter("Alice Admin")
    HomePage(page, words).expect_shown()

    extension = str(secrets.randbelow(900_000) + 100_000)  # unused in the shared demo organization
    text = ("first_name;last_name;email;package;location;number;extension\r\n"
            f"Hélène;Noël;helene.{tag}@example.com;;IT division;;{extension}1\r\n"
            f"Zoë;Garçon;zoe.{tag}@example.com;;IT division;;{extension}2\r\n")
    data = text.encode("cp1252")
    assert b"H\xe9l\xe8ne" in data  # the bytes Excel writes, not UTF-8

    importer = ImportUsersPage(page).open(base_url)
    assert_accessible(page)
    importer.upload("personnes.csv", data)
    importer.expect_finished(2)
    assert_accessible(page)

    for name, email in (("Hélène Noël", f"helene.{tag}@example.com"), ("Zoë Garçon", f"zoe.{tag}@example.com")):
        users = UsersAdminPage(page).open(base_url, search=email)  # the search matches the start of an address
        users.expect_shown()
        expect(users.row(email)).to_contain_text(name)
