"""Every admin page opens for a full administrator, in French with the guide's wording."""

from __future__ import annotations


def test_users_page_in_french_shows_the_guide_wording(admin_client, make_user):
    make_user("toto@example.com", first_name="Toto", last_name="Titi", active=False)
    admin_client.post("/language", data={"locale": "fr"})
    page = admin_client.get("/admin/users").get_data(as_text=True)
    for words in ("Ajouter des utilisateurs", "Envoyer des invitations", "Recherche par nom ou par adresse électronique",
                  "Vérifié", "Actif", "2 utilisateurs", "Administrateur avec accès complet"):
        assert words in page, words


def test_every_admin_page_opens(admin_client, admin):
    for url in ("/admin/users", "/admin/users/add", f"/admin/users/{admin.id}", "/admin/locations",
                "/admin/locations/new", "/admin/invitations", "/admin/settings", "/admin/billing", "/admin/audit",
                "/admin/users/import", "/admin/users/export.csv", "/admin/billing.csv", "/admin/organization"):
        response = admin_client.get(url)
        response.get_data()  # the CSV pages stream: read them to the end
        response.close()
        assert response.status_code == 200, url
