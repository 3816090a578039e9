"""Administration > Voicemail: a full administrator allows fax messaging for the organization; the employee's
voicemail page then offers the fax fields and stores them. Other administrators only see the setting."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import STRONG_PASSWORD, sign_in
from tests.voicemail.conftest import settings_data
from userhub.accounts.models import AdminRole
from userhub.admin.models import AuditEvent
from userhub.extensions import db
from userhub.voicemail.models import VoicemailSettings
from userhub.voicemail.services import organization_allows_fax

PAGE = "/admin/voicemail"
EMPLOYEE_PAGE = "/settings/calling/voicemail"
FAX = {"fax_enabled": "y", "fax_number": "01 84 88 32 09", "fax_extension": "42"}


@pytest.fixture
def admin_as(app, make_user):  # type: ignore[no-untyped-def]
    """admin_as(role) -> a client signed in as an administrator of the employee's organization."""

    def make(role: str):  # type: ignore[no-untyped-def]
        person = make_user(f"{role}.admin@example.com", first_name=role.title(), last_name="Admin",
                           admin_role=AdminRole(role))
        client = app.test_client()
        assert sign_in(client, person.email).status_code == 302
        return client

    return make


def _stored(user_id: int) -> VoicemailSettings:
    db.session.expire_all()
    return db.session.get(VoicemailSettings, user_id)


def _allowed(organization_id: int) -> bool:
    db.session.expire_all()
    return organization_allows_fax(organization_id)


def _box(page: str) -> str:
    """The state of the "Allow fax messaging" box on the page."""
    tag = re.search(r'<input[^>]*name="fax_messaging_allowed"[^>]*>', page)
    assert tag is not None, "no box on the page"
    return "checked" if re.search(r"\schecked[\s>]", tag.group(0)) else "unchecked"


def _audit() -> list[tuple[str, str, str]]:
    db.session.expire_all()
    return [(e.actor_email, e.action, e.params) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_a_full_administrator_allows_fax_and_the_employee_then_saves_fax_settings(
        admin_as, employee_client, employee):
    admin = admin_as("full")
    assert "Fax number" not in employee_client.get(EMPLOYEE_PAGE).text
    page = admin.get(PAGE)
    assert page.status_code == 200
    assert _box(page.text) == "unchecked"
    assert '<label for="fax_messaging_allowed">Allow fax messaging</label>' in page.text

    saved = admin.post(PAGE, data={"fax_messaging_allowed": "y"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(PAGE)
    assert _allowed(employee.organization_id) is True
    assert "The voicemail settings of the organization are saved." in admin.get(PAGE).text
    assert _box(admin.get(PAGE).text) == "checked"
    assert _audit() == [("full.admin@example.com", "voicemail.fax_messaging", {"allowed": True})]

    employee_page = employee_client.get(EMPLOYEE_PAGE).text
    assert "Fax number" in employee_page and 'name="fax_enabled"' in employee_page
    assert _stored(employee.id) is None  # reading the page stored nothing: it showed the defaults, version 1
    assert employee_client.post(EMPLOYEE_PAGE, data=settings_data(1, **FAX)).status_code == 302
    stored = _stored(employee.id)
    assert (stored.fax_enabled, stored.fax_number, stored.fax_extension) == (True, "+33184883209", "42")


def test_saving_the_same_value_again_adds_no_audit_entry(admin_as, employee):
    admin = admin_as("full")
    admin.post(PAGE, data={"fax_messaging_allowed": "y"})
    admin.post(PAGE, data={"fax_messaging_allowed": "y"})
    admin.post(PAGE, data={})  # the unchecked box is absent from the form: not allowed
    assert [details for _, _, details in _audit()] == [{"allowed": True}, {"allowed": False}]
    assert _allowed(employee.organization_id) is False


@pytest.mark.parametrize("role", ["read_only", "user"])
def test_other_administrators_see_the_state_without_a_form_and_cannot_change_it(admin_as, employee, role):
    full = admin_as("full")
    full.post(PAGE, data={"fax_messaging_allowed": "y"})
    reader = admin_as(role)
    page = reader.get(PAGE)
    assert page.status_code == 200
    assert "<form method=\"post\" novalidate>" not in page.text and 'name="fax_messaging_allowed"' not in page.text
    assert re.search(r'id="fax-messaging-state">\s*Allowed\s*<', page.text)
    assert "Only a full administrator can change this setting." in page.text
    refused = reader.post(PAGE, data={})
    assert refused.status_code == 403
    assert _allowed(employee.organization_id) is True
    assert len(_audit()) == 1


def test_an_employee_cannot_open_the_administrators_page(employee_client, employee):
    assert employee_client.get(PAGE).status_code == 403
    assert employee_client.post(PAGE, data={"fax_messaging_allowed": "y"}).status_code == 403
    assert _allowed(employee.organization_id) is False


def test_switching_fax_off_hides_the_fields_and_the_server_keeps_the_fax_settings_unchanged(
        admin_as, employee_client, employee):
    admin = admin_as("full")
    admin.post(PAGE, data={"fax_messaging_allowed": "y"})
    employee_client.get(EMPLOYEE_PAGE)
    assert employee_client.post(EMPLOYEE_PAGE, data=settings_data(1, **FAX)).status_code == 302

    assert admin.post(PAGE, data={}).status_code == 302
    assert _allowed(employee.organization_id) is False
    page = employee_client.get(EMPLOYEE_PAGE).text
    assert "Fax number" not in page and 'name="fax_enabled"' not in page and 'name="fax_number"' not in page

    # A request made by hand with other fax values: the other settings are saved, the fax ones are not taken.
    response = employee_client.post(EMPLOYEE_PAGE, data=settings_data(
        2, fax_enabled=None, fax_number="01 84 88 32 08", fax_extension="77", unanswered_rings="6"))
    assert response.status_code == 302
    stored = _stored(employee.id)
    assert (stored.fax_enabled, stored.fax_number, stored.fax_extension) == (True, "+33184883209", "42")
    assert stored.unanswered_rings == 6


def test_the_admin_page_in_french(admin_as):
    admin = admin_as("full")
    admin.post("/language", data={"locale": "fr"})
    page = admin.get(PAGE).text
    assert "<h1>Messagerie vocale</h1>" in page and "Autoriser la messagerie fax" in page
    admin.post(PAGE, data={"fax_messaging_allowed": "y"})
    assert "Les paramètres de messagerie vocale de l’organisation sont enregistrés." in admin.get(PAGE).text


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):  # type: ignore[no-untyped-def]
        return {"WTF_CSRF_ENABLED": True}

    def test_the_switch_needs_the_token_of_the_page(self, app, make_user, organization):
        make_user("full.admin@example.com", admin_role=AdminRole.FULL)
        client = app.test_client()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/sign-in").text).group(1)
        client.post("/sign-in", data={"email": "full.admin@example.com", "csrf_token": token})
        assert client.post("/sign-in/password", data={"password": STRONG_PASSWORD, "csrf_token": token}
                           ).status_code == 302
        page = client.get(PAGE).text
        token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        assert client.post(PAGE, data={"fax_messaging_allowed": "y"}).status_code == 400
        assert organization_allows_fax(organization.id) is False
        assert client.post(PAGE, data={"fax_messaging_allowed": "y", "csrf_token": token}).status_code == 302
        assert _allowed(organization.id) is True
