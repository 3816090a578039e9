"""A new employee's first visit: the activation email, the password, the display name."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.links import open_link
from tests.conftest import STRONG_PASSWORD, sign_in
from userhub.accounts import services
from userhub.accounts.models import AccountToken, User, UserSession, UserStatus
from userhub.extensions import db
from userhub.timeutil import utcnow

LINK = re.compile(r"https://hub\.example\.com(/activate/[A-Za-z0-9_\-]+)")


@pytest.fixture
def invited(make_user):  # type: ignore[no-untyped-def]
    return make_user("jane.doe@example.com", active=False, password=None)


def invite(user: User) -> str:
    issued = services.send_invitation(user)
    db.session.commit()
    return f"/activate/{issued.raw}"


def activation_path(mailbox) -> str:  # type: ignore[no-untyped-def]
    message = mailbox.deliver()[-1]
    match = LINK.search(mailbox.text(message))
    assert match, mailbox.text(message)
    return match.group(1)


def test_activation_email_carries_what_the_guide_shows(invited, mailbox):
    invite(invited)
    [message] = mailbox.deliver()
    text, html = mailbox.text(message), mailbox.html(message)
    assert message["To"] == "jane.doe@example.com"
    assert "Activate" in html and LINK.search(html)
    assert re.search(r"Confirmation code: \d{6}\. There is nowhere to type it", text)
    assert "The button works for 10 days." in text
    assert "https://acme.example.com" in text  # the organization's site URL
    # "Activate" is a table-based button (colour on the cell, inline styles on the link): it survives
    # clients that drop a link's padding and background; the site URL is a link.
    assert re.search(r'<td[^>]*bgcolor="#0a6ed1"[^>]*>\s*<a href="https://hub\.example\.com/activate/[^"]+"[^>]*'
                     r'style="[^"]*color: #ffffff[^"]*">Activate</a>\s*</td>', html)
    assert '<a href="https://acme.example.com"' in html
    assert ">Download</a>" in html and "Get the desktop app: <a" in html
    assert "Voicemail" in text  # how to set the voicemail PIN
    assert "desktop app" in text


def test_activation_email_is_in_the_users_language(invited, mailbox):
    invited.locale = "fr"
    invite(invited)
    [message] = mailbox.deliver()
    assert "Activer" in mailbox.html(message)
    text = mailbox.text(message)
    assert "Code de confirmation\u202f: " in text and "Il n’est à saisir nulle part\u202f: le bouton Activer suffit." in text
    assert "Le bouton est valable 10 jours." in text
    assert "Activez votre compte\u202f: https://hub.example.com/activate/" in text
    assert '<a href="https://acme.example.com"' in mailbox.html(message)


def test_link_is_random_hashed_and_long(invited):
    issued = services.send_invitation(invited)
    db.session.commit()
    assert len(issued.raw) >= 43  # 32 random bytes in URL-safe base64
    stored = db.session.scalars(select(AccountToken.token_hash)).all()
    assert issued.raw not in stored and len(stored[0]) == 64


def test_full_activation_makes_the_user_active(client, invited, mailbox):
    invite(invited)
    path = open_link(client, activation_path(mailbox))
    page = client.get(path)
    assert page.status_code == 200
    assert b"Create a password" in page.data and b"Confirm the password" in page.data
    response = client.post(path, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/welcome/name")
    name_page = client.get("/welcome/name")
    assert b'value="Jane Doe"' in name_page.data  # prefilled from the first and last names
    assert db.session.get(User, invited.id).status == UserStatus.INVITED
    response = client.post("/welcome/name", data={"display_name": "  Jane from Accounting  "})
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    db.session.expire_all()
    user = db.session.get(User, invited.id)
    assert user.status == UserStatus.ACTIVE and user.display_name == "Jane from Accounting"
    assert user.activated_at is not None
    home = client.get("/")
    assert b"Make a call or join a meeting" in home.data


def test_weak_password_is_refused_with_each_rule_named_and_nothing_stored(client, invited):
    path = open_link(client, invite(invited))
    response = client.post(path, data={"password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert b"Between 8 and 256 characters" in response.data
    assert b"At least 1 number" in response.data
    assert b"At least 1 upper-case letter" in response.data
    assert db.session.get(User, invited.id).password_hash is None
    assert client.get(path).status_code == 200  # the link still works


@pytest.mark.parametrize("password", ["Password1!", "P@ssw0rd", "Jane.Doe1!", "jANEsecret-Kettle-93!"])
def test_policy_refuses_known_weak_and_personal_passwords(client, invited, password):
    path = open_link(client, invite(invited))
    response = client.post(path, data={"password": password, "confirm": password})
    assert response.status_code == 400
    assert b"aria-invalid" in response.data
    assert db.session.get(User, invited.id).password_hash is None


def test_confirmation_must_match(client, invited):
    path = open_link(client, invite(invited))
    response = client.post(path, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD + "x"})
    assert b"The two passwords are different." in response.data
    assert db.session.get(User, invited.id).password_hash is None


def test_used_link_says_so(client, invited):
    path = invite(invited)
    client.post(open_link(client, path), data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
    other = client.application.test_client()
    response = other.get(path)
    assert response.status_code == 410
    assert b"already been used" in response.data
    assert b"Create a password" not in response.data


def test_link_expires_one_second_after_ten_days(client, invited):
    issued_at = utcnow()
    with time_machine.travel(issued_at, tick=False):
        path = invite(invited)
    with time_machine.travel(issued_at + timedelta(days=10) - timedelta(seconds=1), tick=False):
        form = open_link(client, path)
        assert client.get(form).status_code == 200
    with time_machine.travel(issued_at + timedelta(days=10, seconds=1), tick=False):
        # The page opened before the link expired is sent after: the link the session kept has expired.
        response = client.post(form, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
        assert response.status_code == 410 and b"expired" in response.data
        response = client.get(path)
        assert response.status_code == 410 and b"expired" in response.data
    assert db.session.get(User, invited.id).password_hash is None


def test_new_invitation_voids_the_older_link(client, invited):
    old = invite(invited)
    new = invite(invited)
    response = client.get(old)
    assert response.status_code == 410 and b"newer email replaced this link" in response.data
    assert client.get(new).status_code == 303


@pytest.mark.parametrize("path", ["/activate/not-a-token", "/activate/" + "A" * 43, "/activate/" + "x" * 500])
def test_unknown_or_tampered_links_are_invalid_never_500(client, invited, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"This link is not valid" in response.data


def test_tampered_by_one_character(client, invited):
    path = invite(invited)
    tampered = path[:-1] + ("A" if path[-1] != "A" else "B")
    assert client.get(tampered).status_code == 404


def test_link_of_a_deleted_user_is_invalid_and_reveals_nothing(client, invited):
    path = invite(invited)
    db.session.delete(invited)
    db.session.commit()
    unknown_path = "/activate/" + "Z" * 43
    unknown = client.get(unknown_path)
    response = client.get(path)
    assert response.status_code == unknown.status_code == 404
    # the CSRF token is signed with the second it was made: two requests may straddle a second
    same = re.compile(rb'name="csrf_token" value="[^"]*"')
    assert same.sub(b"", response.data.replace(path.encode(), b"")) == \
        same.sub(b"", unknown.data.replace(unknown_path.encode(), b""))


def test_display_name_rules(client, invited):
    path = open_link(client, invite(invited))
    client.post(path, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
    for bad in ["", "   ", "x" * 81]:
        response = client.post("/welcome/name", data={"display_name": bad})
        assert response.status_code == 400
        assert b"aria-invalid" in response.data
    assert db.session.get(User, invited.id).status == UserStatus.INVITED
    response = client.post("/welcome/name", data={"display_name": "x" * 80})
    assert response.status_code == 302


def test_until_the_name_is_chosen_other_pages_lead_back_to_it(client, invited):
    path = open_link(client, invite(invited))
    client.post(path, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/welcome/name")


def test_user_who_left_before_the_name_step_signs_in_and_finishes(app, invited):
    first = app.test_client()
    path = open_link(first, invite(invited))
    first.post(path, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
    later = app.test_client()
    assert sign_in(later, invited.email).status_code == 302
    assert later.get("/").headers["Location"].endswith("/welcome/name")


def test_activation_signs_in_with_a_server_side_session(client, invited):
    path = open_link(client, invite(invited))
    client.post(path, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1


def test_the_link_leaves_its_token_behind_at_the_first_hop(client, invited):
    """The token is in the email's link only: the form's page, its post and every later Referer or log line
    have an address without it."""
    link = invite(invited)
    token = link.rsplit("/", 1)[1]
    hop = client.get(link)
    assert hop.status_code == 303 and token not in hop.headers["Location"]
    assert hop.headers["Referrer-Policy"] == "no-referrer" and hop.headers["Cache-Control"] == "no-store"
    page = client.get(hop.headers["Location"])
    assert page.status_code == 200 and b"Create a password" in page.data
    assert token.encode() not in page.data  # not in a form action, not in a hidden field
    assert page.headers["Cache-Control"] == "no-store"
    response = client.post("/activate", data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/welcome/name")
    db.session.expire_all()
    assert db.session.get(User, invited.id).password_hash is not None
    # Used: the session keeps nothing; the form's address is again an invalid link.
    assert client.get("/activate").status_code == 404


def test_the_form_without_a_link_opened_in_this_browser_is_an_invalid_link(client, invited):
    invite(invited)
    unknown = client.get("/activate/" + "Z" * 43)
    for response in (client.get("/activate"),
                     client.post("/activate", data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})):
        assert response.status_code == 404 and b"This link is not valid" in response.data
        # The CSRF token aside, and the page's own address (where the language switch comes back to).
        same = re.compile(rb'name="(csrf_token|next)" value="[^"]*"')
        assert same.sub(b"", response.data) == same.sub(b"", unknown.data)
    assert db.session.get(User, invited.id).password_hash is None


def test_the_last_link_opened_is_the_one_the_form_uses(app, invited, make_user):
    jane_link = invite(invited)
    other = make_user("john.roe@example.com", first_name="John", last_name="Roe", active=False, password=None)
    john_link = invite(other)
    client = app.test_client()
    open_link(client, jane_link)
    page = client.get(open_link(client, john_link))
    assert b"john.roe@example.com" in page.data and b"jane.doe@example.com" not in page.data
