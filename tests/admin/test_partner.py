"""A partner (wholesale) administrator manages several organizations and first selects the one to work in."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from userhub.accounts.models import User
from userhub.admin.models import PartnerOrganization
from userhub.extensions import db


def test_partner_selects_the_site_first_then_works_only_there(admin_client, admin, other_org):
    db.session.add(PartnerOrganization(user_id=admin.id, organization_id=other_org["org"].id))
    db.session.commit()
    admin_client.post("/language", data={"locale": "fr"})
    response = admin_client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/organization")
    page = html.unescape(admin_client.get("/admin/organization").get_data(as_text=True))
    assert "Sélectionnez d’abord le site" in page and "Globex" in page and "Acme" in page
    admin_client.post("/admin/organization", data={"organization": other_org["org"].id})
    listing = admin_client.get("/admin/users").get_data(as_text=True)
    assert "worker@globex.example.com" in listing and "admin@example.com" not in listing
    employee = other_org["employee"]
    assert admin_client.get(f"/admin/users/{employee.id}").status_code == 200
    assert admin_client.get(f"/admin/users/{admin.id}").status_code == 404  # Acme is not the current site
    # Back to the own organization.
    admin_client.post("/admin/organization", data={"organization": admin.organization_id})
    assert "admin@example.com" in admin_client.get("/admin/users").get_data(as_text=True)


def test_an_administrator_cannot_select_an_organization_they_do_not_manage(admin_client, other_org):
    assert admin_client.post("/admin/organization", data={"organization": other_org["org"].id}).status_code == 404
    assert "worker@globex.example.com" not in admin_client.get("/admin/users").get_data(as_text=True)


def test_a_partner_granted_by_the_cli(app, admin, other_org):
    result = app.test_cli_runner().invoke(args=["admin", "grant-partner", "--email", admin.email,
                                                "--organization", "Globex"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(PartnerOrganization.organization_id).where(
        PartnerOrganization.user_id == admin.id)) == other_org["org"].id
    assert db.session.get(User, admin.id) is not None


@pytest.mark.parametrize("value", ["", "Globex", "1 OR 1=1", "-1"])
def test_a_choice_that_is_not_an_organization_gets_a_message(admin_client, value):
    response = admin_client.post("/admin/organization", data={"organization": value})
    assert response.status_code == 400
    assert "Choose a site from the list." in response.get_data(as_text=True)
    assert 'aria-describedby="organization-error"' in response.get_data(as_text=True)


def test_an_id_beyond_any_database_integer_is_simply_not_found(admin_client):
    assert admin_client.post("/admin/organization", data={"organization": "9" * 20}).status_code == 404
