"""Every form carries a CSRF token; pages speak French or English."""

from __future__ import annotations

import re

import pytest

from tests.conftest import STRONG_PASSWORD


@pytest.fixture
def app_config():  # type: ignore[no-untyped-def]
    return {"WTF_CSRF_ENABLED": True}


def _token(page: bytes) -> str:
    match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        rb'name="csrf_token" value="([^"]+)"', page
    )
    assert match, "no CSRF token in the page"
    return match.group(1).decode()


def test_forms_without_token_are_refused(client, user):
    response = client.post("/sign-in", data={"email": user.email})
    assert response.status_code == 400
    assert b"This form has expired" in response.data
    response = client.post("/language", data={"locale": "fr"})
    assert response.status_code == 400


def test_wrong_token_is_refused(client):
    assert client.post("/sign-in", data={"email": "a@example.com", "csrf_token": "forged"}).status_code == 400


def test_full_sign_in_with_tokens(client, user):
    token = _token(client.get("/sign-in").data)
    assert client.post("/sign-in", data={"email": user.email, "csrf_token": token}).status_code == 302
    token = _token(client.get("/sign-in/password").data)
    response = client.post("/sign-in/password", data={"password": STRONG_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    home = client.get("/")
    token = _token(home.data)
    assert client.post("/sign-out", data={}).status_code == 400
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302


def test_accept_language_chooses_french(client):
    page = client.get("/sign-in", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert b"Se connecter" in page.data and b'lang="fr"' in page.data


def test_language_switch_is_remembered(client):
    token = _token(client.get("/sign-in", headers={"Accept-Language": "en"}).data)
    client.post("/language", data={"locale": "fr", "next": "/sign-in", "csrf_token": token})
    page = client.get("/sign-in", headers={"Accept-Language": "en"})
    assert b"Se connecter" in page.data


def test_saved_preference_wins_over_the_browser(app, make_user):
    make_user("marie@example.com", first_name="Marie", last_name="Curie", locale="fr")
    client = app.test_client()
    token = _token(client.get("/sign-in").data)
    client.post("/sign-in", data={"email": "marie@example.com", "csrf_token": token})
    token = _token(client.get("/sign-in/password").data)
    client.post("/sign-in/password", data={"password": STRONG_PASSWORD, "csrf_token": token})
    page = client.get("/", headers={"Accept-Language": "en"})
    assert b"Passer un appel ou rejoindre une r\xc3\xa9union" in page.data
