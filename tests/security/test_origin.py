"""Forms posted over https, as a browser posts them: the token is checked, and so is the Origin the browser
sends; the Referrer-Policy of each page lets the browser send a real Origin, except on pages whose address holds
a secret (where the browser then sends ``Origin: null``)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import STRONG_PASSWORD
from userhub.accounts import services
from userhub.extensions import db

HTTPS = {"base_url": "https://hub.example.com"}  # the test client then sends requests as https (is_secure)
SITE = "https://hub.example.com"


@pytest.fixture
def app_config():  # type: ignore[no-untyped-def]
    return {"WTF_CSRF_ENABLED": True}


def _token(client, path: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(path, **HTTPS).data
    # A form's own field, or the header's forms (language switch, sign-out) on pages without a form.
    match = re.search(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert match, f"no CSRF token in {path}"
    return match.group(1).decode()


def _post_email(client, email: str, **headers: str):  # type: ignore[no-untyped-def]
    token = _token(client, "/sign-in")
    return client.post("/sign-in", data={"email": email, "csrf_token": token}, headers=headers, **HTTPS)


def test_same_origin_post_over_https_without_referer_is_accepted(client, user):
    # What Chromium sends from a page with Referrer-Policy same-origin: an Origin, and (here) no Referer.
    response = _post_email(client, user.email, Origin=SITE)
    assert response.status_code == 302, response.data
    assert response.headers["Location"].startswith("/sign-in/password")


def test_same_origin_with_explicit_default_port_is_the_same_origin(client, user):
    assert _post_email(client, user.email, Origin="https://hub.example.com:443").status_code == 302


@pytest.mark.parametrize("origin", ["https://evil.example.net", "http://hub.example.com",
                                    "https://hub.example.com:8443", "https://hub.example.com.evil.net",
                                    "not a url", "https://"])
def test_another_origin_is_refused_even_with_a_valid_token(client, user, origin):
    response = _post_email(client, user.email, Origin=origin)
    assert response.status_code == 400
    assert b"This form has expired or was sent from elsewhere" in response.data
    with client.session_transaction() as session:  # the view never ran
        assert "sign_in_email" not in session and not any("email" in key for key in session)


def test_a_foreign_referer_without_origin_is_refused(client, user):
    assert _post_email(client, user.email, Referer="https://evil.example.net/form").status_code == 400
    assert _post_email(client, user.email, Referer=SITE + "/sign-in").status_code == 302


def test_no_origin_and_no_referer_leaves_the_token_to_decide(client, user):
    # Clients that are not browsers; a browser always sends Origin on a cross-site post.
    assert _post_email(client, user.email).status_code == 302
    response = client.post("/sign-in", data={"email": user.email, "csrf_token": "forged"}, **HTTPS)
    assert response.status_code == 400


def test_null_origin_is_refused_where_no_no_referrer_page_posts(client, user):
    assert _post_email(client, user.email, Origin="null").status_code == 400


def test_the_public_base_url_is_this_site_even_behind_another_host_name(app, client, user):
    app.config["USERHUB_BASE_URL"] = "https://portal.example.org"
    assert _post_email(client, user.email, Origin="https://portal.example.org").status_code == 302


def _invitation(make_user, email: str = "invited.person@example.com") -> str:  # type: ignore[no-untyped-def]
    person = make_user(email, active=False, password=None)
    issued = services.send_invitation(person)
    db.session.commit()
    return f"/activate/{issued.raw}"


UNKNOWN_LINK = "/activate/" + "A" * 43  # a link that does not work: its page is shown at the token's address


def _activation_form(client, make_user) -> str:  # type: ignore[no-untyped-def]
    """Open an invitation's link: its first hop sends the browser on to the form's address, without the token."""
    hop = client.get(_invitation(make_user), **HTTPS)
    assert hop.status_code == 303 and hop.headers["Referrer-Policy"] == "no-referrer"
    return str(hop.headers["Location"])


def test_activation_page_posts_with_the_sites_origin(client, make_user):
    # The form's address holds no token, so its page sends a same-origin referrer and Chromium a real Origin.
    path = _activation_form(client, make_user)
    assert client.get(path, **HTTPS).headers["Referrer-Policy"] == "same-origin"
    token = _token(client, path)
    refused = client.post(path, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD, "csrf_token": token},
                          headers={"Origin": "null"}, **HTTPS)
    assert refused.status_code == 400  # no page without a referrer posts here any more
    response = client.post(path, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD,
                                       "csrf_token": token}, headers={"Origin": SITE}, **HTTPS)
    assert response.status_code == 302 and response.headers["Location"].endswith("/welcome/name")


def test_activation_page_refuses_another_origin(client, make_user):
    path = _activation_form(client, make_user)
    token = _token(client, path)
    response = client.post(path, data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD,
                                       "csrf_token": token}, headers={"Origin": "https://evil.example.net"},
                           **HTTPS)
    assert response.status_code == 400


def test_language_switch_of_a_no_referrer_page_accepts_null_origin(client):
    # The page of a link that does not work is shown at the link's address, which sends no referrer.
    token = _token(client, UNKNOWN_LINK)
    response = client.post("/language", data={"locale": "fr", "next": UNKNOWN_LINK, "csrf_token": token},
                           headers={"Origin": "null"}, **HTTPS)
    assert response.status_code == 302
    response = client.post("/language", data={"locale": "fr", "next": UNKNOWN_LINK, "csrf_token": token},
                           headers={"Origin": "https://evil.example.net"}, **HTTPS)
    assert response.status_code == 400


def test_referrer_policy_per_page(client, make_user):
    assert client.get("/sign-in", **HTTPS).headers["Referrer-Policy"] == "same-origin"
    assert client.get("/healthz", **HTTPS).headers["Referrer-Policy"] == "same-origin"
    assert client.get(_invitation(make_user), **HTTPS).headers["Referrer-Policy"] == "no-referrer"  # the 303
    assert client.get("/activate", **HTTPS).headers["Referrer-Policy"] == "same-origin"  # no token: a referrer
    for path in ("/activate/" + "A" * 43, "/password/reset/" + "A" * 43):  # unknown links too
        assert client.get(path, **HTTPS).headers["Referrer-Policy"] == "no-referrer"



def test_signing_out_from_a_no_referrer_page_accepts_null_origin(client, user, make_user):
    # A signed-in person opens an activation link and presses "Sign out" in the page's header.
    assert _post_email(client, user.email, Origin=SITE).status_code == 302
    token = _token(client, "/sign-in/password")
    response = client.post("/sign-in/password", data={"password": STRONG_PASSWORD, "csrf_token": token},
                           headers={"Origin": SITE}, **HTTPS)
    assert response.status_code == 302
    token = _token(client, UNKNOWN_LINK)  # e.g. an activation link used already: its page sends no referrer
    forged = client.post("/sign-out", data={"csrf_token": token}, headers={"Origin": "https://evil.example.net"},
                         **HTTPS)
    assert forged.status_code == 400
    response = client.post("/sign-out", data={"csrf_token": token}, headers={"Origin": "null"}, **HTTPS)
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
