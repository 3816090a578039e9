""""Renvoyer l'invitation" to the people selected in the users list: only those not yet active, one audited
fresh activation email each, counts through ngettext, CSRF-protected, no JavaScript needed."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from userhub.accounts.models import User
from userhub.admin.models import AuditEvent
from userhub.extensions import db


def _checkboxes(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" form="resend-selected" name="user" value="(\d+)"', page)


def test_the_list_offers_a_selection_of_the_people_not_yet_active(admin_client, make_user):
    pending = make_user("pending@example.com", active=False)
    make_user("done@example.com", active=True)
    admin_client.post("/language", data={"locale": "fr"})
    page = html.unescape(admin_client.get("/admin/users").get_data(as_text=True))
    assert _checkboxes(page) == [str(pending.id)]  # active people (the administrator too) have none
    assert 'aria-label="Sélectionner pending@example.com"' in page
    form = re.search(r'<form method="post" action="/admin/users/invitations" id="resend-selected".*?</form>', page, re.DOTALL)
    assert form and 'name="csrf_token"' in form.group(0)
    assert "Renvoyer l’invitation aux personnes sélectionnées</button>" in form.group(0)


def test_read_only_administrators_get_no_selection_and_cannot_post(client_as, make_user, mailbox):
    pending = make_user("pending@example.com", active=False)
    reader = client_as("read_only")
    assert _checkboxes(reader.get("/admin/users").get_data(as_text=True)) == []
    assert reader.post("/admin/users/invitations", data={"user": [pending.id]}).status_code == 403
    assert mailbox.deliver() == []


def test_selected_people_get_one_audited_email_each_and_active_ones_are_skipped(
        admin_client, organization, make_user, mailbox, other_org):
    one = make_user("one@example.com", active=False)
    two = make_user("two@example.com", active=False)
    make_user("three@example.com", active=False)  # not selected
    done = make_user("done@example.com", active=True)
    stranger = other_org["employee"]  # invited, but of another organization
    response = admin_client.post("/admin/users/invitations", data={
        "user": [one.id, two.id, done.id, stranger.id, one.id], "list_query": "q=example&status=invited"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/users?q=example&status=invited"
    assert sorted(m["To"] for m in mailbox.deliver()) == ["one@example.com", "two@example.com"]
    audited = db.session.execute(select(AuditEvent.organization_id, AuditEvent.action, AuditEvent.target)
                                 .where(AuditEvent.action == "invitation.sent").order_by(AuditEvent.target)).all()
    assert audited == [(organization.id, "invitation.sent", "one@example.com"),
                       (organization.id, "invitation.sent", "two@example.com")]
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "Invitations resent to 2 people." in page
    assert "2 people were skipped: their accounts are already active or no longer exist." in page


def test_the_counts_are_singular_in_french(admin_client, make_user, mailbox):
    one = make_user("one@example.com", active=False)
    done = make_user("done@example.com", active=True)
    admin_client.post("/language", data={"locale": "fr"})
    admin_client.post("/admin/users/invitations", data={"user": [one.id, done.id]})
    page = html.unescape(admin_client.get("/admin/users").get_data(as_text=True))
    assert "Invitation renvoyée à 1 personne." in page
    assert "1 personne ignorée\u00a0: son compte est déjà actif ou n’existe plus." in page
    assert [m["To"] for m in mailbox.deliver()] == ["one@example.com"]


def test_an_empty_selection_says_what_to_do(admin_client, mailbox):
    response = admin_client.post("/admin/users/invitations", data={"list_query": "_external=1&page=2"},
                                 follow_redirects=True)
    assert response.request.path == "/admin/users" and response.request.args.to_dict() == {"page": "2"}
    assert "Select the people to send the invitation to." in response.get_data(as_text=True)
    assert mailbox.deliver() == []


def test_without_its_csrf_token_nothing_is_sent(app, admin_client, make_user, mailbox):
    pending = make_user("pending@example.com", active=False)
    app.config["WTF_CSRF_ENABLED"] = True  # after signing in: the suite's sign-in helper posts without tokens
    assert admin_client.post("/admin/users/invitations", data={"user": [pending.id]}).status_code == 400
    token = re.search(r'id="resend-selected".*?name="csrf_token" value="([^"]+)"',
                      admin_client.get("/admin/users").get_data(as_text=True), re.DOTALL).group(1)
    response = admin_client.post("/admin/users/invitations", data={"user": [pending.id], "csrf_token": token})
    assert response.status_code == 302
    assert [m["To"] for m in mailbox.deliver()] == ["pending@example.com"]
    assert db.session.scalar(select(User.status).where(User.id == pending.id)) == "invited"
