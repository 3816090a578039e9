"""Admin pages (guide "Créer des utilisateurs", French wording): users list, the three-step wizard,
deleting a user."""

from __future__ import annotations


from playwright.sync_api import Locator, Page, expect


class UsersAdminPage:
    """"Gestion des utilisateurs": the list, its search, and each row's menu."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self, base_url: str, search: str = "") -> UsersAdminPage:
        self.page.goto(f"{base_url}/admin/users")
        if search:
            self.page.get_by_label("Recherche par nom ou par adresse électronique", exact=True).fill(search)
            self.page.get_by_role("button", name="Filtre", exact=True).click()
        return self

    def expect_shown(self) -> None:
        expect(self.page.get_by_role("heading", level=1, name="Gestion des utilisateurs")).to_be_visible()

    def row(self, email: str) -> Locator:
        return self.page.get_by_role("row").filter(has_text=email)

    def expect_status(self, email: str, status: str) -> None:
        expect(self.row(email).get_by_role("cell", name=status, exact=True)).to_be_visible()

    def expect_absent(self, email: str) -> None:
        expect(self.row(email)).to_have_count(0)

    def add_users(self) -> None:
        self.page.get_by_role("link", name="Ajouter des utilisateurs", exact=True).click()

    def select(self, email: str) -> None:
        """Tick the person's box of the selection (people not yet active have one)."""
        self.page.get_by_role("checkbox", name=f"Sélectionner {email}", exact=True).check()

    def resend_to_selected(self) -> None:
        self.page.get_by_role("button", name="Renvoyer l’invitation aux personnes sélectionnées", exact=True).click()

    def expect_message(self, text: str) -> None:
        expect(self.page.get_by_role("status").filter(has_text=text)).to_be_visible()

    def delete_from_row_menu(self, email: str) -> None:
        row = self.row(email)
        row.locator("summary").click()
        row.get_by_role("link", name="Supprimer l’utilisateur", exact=True).click()


class AddUsersWizard:
    """"Ajouter des utilisateurs": Informations de base, Attribuer des numéros, Terminer."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def fill_person(self, row: int, first_name: str, last_name: str, email: str, package: str) -> None:
        expect(self.page.get_by_role("heading", name="Étape 1\u00a0: Informations de base")).to_be_visible()
        self.page.get_by_label("Noms et adresses électroniques", exact=True).check()
        n = row + 1
        self.page.get_by_label(f"Prénom (ligne {n})", exact=True).fill(first_name)
        self.page.get_by_label(f"Nom (ligne {n})", exact=True).fill(last_name)
        self.page.get_by_label(f"Adresse électronique (ligne {n})", exact=True).fill(email)
        self.page.get_by_label(f"Pack (ligne {n})", exact=True).select_option(label=package)

    def next(self) -> None:
        self.page.get_by_role("button", name="Suivant", exact=True).click()

    def assign(self, email: str, location: str) -> tuple[str, Locator]:
        """Choose the location, then the last free number of it; returns the number and the extension field."""
        expect(self.page.get_by_role("heading", name="Étape 2\u00a0: Configuration du service d’appel - Attribuer des numéros")).to_be_visible()
        self.wait_for_script()
        self.page.get_by_label(f"Emplacement ({email})", exact=True).select_option(label=location)
        numbers = self.page.get_by_label(f"Numéro de téléphone ({email})", exact=True)
        values = numbers.locator("optgroup:not([disabled]) option").evaluate_all("els => els.map(e => e.value)")
        assert values, "no free number in " + location
        numbers.select_option(values[-1])
        return values[-1], self.page.get_by_label(f"Numéro interne ({email})", exact=True)

    def add_row(self) -> None:
        """The "+" button: one more person (the page is posted back, the rows typed so far are kept)."""
        self.page.get_by_role("button", name="Ajouter une ligne", exact=True).click()

    def row(self, email: str) -> Locator:
        """A row of step 2 or step 3, found by its row header (the person's name and address)."""
        return self.page.get_by_role("row").filter(has=self.page.get_by_role("rowheader").filter(has_text=email))

    def wait_for_script(self) -> None:
        """The page's script is deferred: choosing before it has run leaves every location's numbers offered and
        no extension proposed (the script marks <html> "js" and attaches its handlers in the same task)."""
        expect(self.page.locator("html.js")).to_have_count(1)

    def choose_number(self, email: str, location: str, number: str) -> None:
        """Step 2: the location, then the given number (E.164, the menu's value; the menu shows it nationally)."""
        self.wait_for_script()
        self.page.get_by_label(f"Emplacement ({email})", exact=True).select_option(label=location)
        self.page.get_by_label(f"Numéro de téléphone ({email})", exact=True).select_option(number)

    def free_numbers(self, email: str) -> list[str]:
        """Step 2: the free numbers (E.164) the row's menu offers for its chosen location."""
        menu = self.page.get_by_label(f"Numéro de téléphone ({email})", exact=True)
        return menu.locator("optgroup:not([disabled]) option").evaluate_all("els => els.map(e => e.value)")

    def number_error(self, email: str) -> Locator:
        return self.row(email).locator(".row-error")

    def allocate(self) -> None:
        self.page.get_by_role("button", name="Attribution des numéros", exact=True).click()

    def expect_done(self, count_text: str) -> None:
        expect(self.page.get_by_role("status").filter(has_text=count_text)).to_be_visible()


class DeleteUserPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def expect_warning(self) -> None:
        expect(self.page.get_by_role("heading", name="Important\u00a0!")).to_be_visible()
        expect(self.page.get_by_text("L’utilisateur supprimé ne peut plus se connecter", exact=False)).to_be_visible()

    def confirm(self) -> None:
        self.page.get_by_role("button", name="Supprimer l’utilisateur", exact=True).click()


class ImportUsersPage:
    """"Importer des utilisateurs (CSV)": a file chosen, checked and imported, then its progress page."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self, base_url: str) -> ImportUsersPage:
        self.page.goto(f"{base_url}/admin/users/import")
        expect(self.page.get_by_role("heading", level=1, name="Importer des utilisateurs (CSV)")).to_be_visible()
        return self

    def upload(self, name: str, data: bytes, mime_type: str = "text/csv") -> None:
        self.page.get_by_label("Fichier CSV ou Excel", exact=True).set_input_files(
            files=[{"name": name, "mimeType": mime_type, "buffer": data}])
        self.page.get_by_role("button", name="Vérifier et importer", exact=True).click()

    def expect_finished(self, rows: int) -> None:
        status = self.page.get_by_role("status").filter(has_text="Terminé.")
        expect(status).to_be_visible(timeout=20_000)  # the page refreshes itself until the job is done
        expect(status).to_contain_text(f"{rows} lignes vérifiées, sans problème.")
