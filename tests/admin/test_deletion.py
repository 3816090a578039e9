"""Deleting a user: confirmation with the guide's warning, sessions end, number and extension return,
the person can no longer sign in or activate, billing history stays."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from tests.conftest import Mailbox, sign_in
from userhub.accounts.models import User, UserSession
from userhub.admin.models import PackageAssignment
from userhub.extensions import db
from userhub.organizations.models import PhoneNumber


def _number(e164: str) -> PhoneNumber:
    return db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == e164))


def test_the_confirmation_page_says_what_is_lost(admin_client, make_user):
    user = make_user("bob@example.com")
    admin_client.post("/language", data={"locale": "fr"})
    listing = html.unescape(admin_client.get("/admin/users").get_data(as_text=True))
    assert "Supprimer l’utilisateur" in listing
    page = html.unescape(admin_client.get(f"/admin/users/{user.id}/delete").get_data(as_text=True))
    assert "Important\u00a0!" in page
    assert "L’utilisateur supprimé ne peut plus se connecter à votre site" in page
    assert db.session.get(User, user.id) is not None  # looking changes nothing


def test_deletion_ends_sessions_frees_number_and_extension_and_keeps_billing(
        app, admin_client, make_user, paris, packages):
    user = make_user("bob@example.com", location=paris, phone_number=_number("+33184883205"), extension="3205",
                     package=packages["webex_suite"])
    user_id = user.id
    bob = app.test_client()
    assert sign_in(bob, "bob@example.com").status_code == 302
    assert bob.get("/").status_code == 200
    response = admin_client.post(f"/admin/users/{user_id}/delete")
    assert response.status_code == 302
    db.session.expunge(user)
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert db.session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id == user_id)) == 0
    assert bob.get("/").status_code == 302  # signed out at once
    assert sign_in(app.test_client(), "bob@example.com").status_code != 302
    assert _number("+33184883205").user_id is None
    # The extension is free again: a new user can take it.
    newcomer = make_user("new@example.com", location=paris, extension="3205")
    assert newcomer.extension == "3205"
    history = db.session.scalar(select(PackageAssignment).where(PackageAssignment.user_email == "bob@example.com"))
    assert history.ended_at is not None and history.package_id == packages["webex_suite"].id


def test_a_deleted_invited_user_cannot_activate(admin_client, client, make_user, mailbox):
    user = make_user("pending@example.com", active=False)
    admin_client.post(f"/admin/users/{user.id}/invitation")
    link = re.search(r"https://hub\.example\.com(/activate/\S+)", Mailbox.text(mailbox.deliver()[0])).group(1)
    admin_client.post(f"/admin/users/{user.id}/delete")
    assert client.get(link).status_code == 404


def test_an_administrator_cannot_delete_themselves(admin_client, admin):
    admin_client.post(f"/admin/users/{admin.id}/delete")
    db.session.expire_all()
    assert db.session.get(User, admin.id) is not None
