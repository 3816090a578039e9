"""Activation emails: the organization setting, "Envoyer des invitations" to everyone pending, resend."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from userhub.accounts.models import AccountToken
from userhub.admin.models import AdminJob
from userhub.extensions import db
from userhub.mail.models import OutboxMessage


def _activation_link(message) -> str:  # type: ignore[no-untyped-def]
    from tests.conftest import Mailbox

    return re.search(r"https://hub\.example\.com(/activate/\S+)", Mailbox.text(message)).group(1)


def test_manual_setting_shows_the_guide_notice(admin_client, organization):
    assert admin_client.post("/admin/settings", data={"activation_emails": "manual"}).status_code == 302
    db.session.refresh(organization)
    assert organization.activation_emails == "manual"
    admin_client.post("/language", data={"locale": "fr"})
    page = html.unescape(admin_client.get("/admin/invitations").get_data(as_text=True))
    assert "Vous allez envoyer des courriels électroniques d’activation manuellement." in page
    assert "Modifiez les paramètres" in page
    assert "Cette action est irréversible." in page


def test_user_administrator_cannot_change_the_setting(client_as, organization):
    assert client_as("user").post("/admin/settings", data={"activation_emails": "manual"}).status_code == 403
    db.session.refresh(organization)
    assert organization.activation_emails == "automatic"


def test_getting_the_confirmation_page_sends_nothing(admin_client, make_user, mailbox):
    make_user("pending@example.com", active=False)
    page = admin_client.get("/admin/invitations").get_data(as_text=True)
    assert "1 user has not activated their account." in page
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_send_invitations_reaches_every_pending_user_only(admin_client, make_user, mailbox):
    make_user("one@example.com", active=False)
    make_user("two@example.com", active=False)
    make_user("done@example.com", active=True)
    response = admin_client.post("/admin/invitations", follow_redirects=True)
    assert "Invitations are being sent to 2 users." in response.get_data(as_text=True)
    job = db.session.scalar(select(AdminJob))
    assert (job.kind, job.total, job.status) == ("invitations", 2, "done")
    assert sorted(m["To"] for m in mailbox.deliver()) == ["one@example.com", "two@example.com"]


def test_each_new_invitation_voids_the_older_link(admin_client, client, make_user, mailbox):
    pending = make_user("pending@example.com", active=False)
    admin_client.post(f"/admin/users/{pending.id}/invitation")
    admin_client.post("/admin/invitations")
    first, second = mailbox.deliver()
    assert client.get(_activation_link(first)).status_code == 410  # replaced by the newer email
    assert client.get(_activation_link(second)).status_code == 303  # on to the password form
    assert db.session.scalar(select(func.count(AccountToken.id)).where(AccountToken.voided_at.is_(None))) == 1


def test_resend_to_an_active_user_sends_nothing(admin_client, make_user, mailbox):
    active = make_user("active@example.com")
    admin_client.post(f"/admin/users/{active.id}/invitation")
    assert mailbox.deliver() == []
