"""With CSRF protection on (as in production), the settings form that uploads greetings carries its token."""

from __future__ import annotations

import re

import pytest

from tests.conftest import STRONG_PASSWORD
from tests.voicemail.conftest import wav_upload
from userhub.voicemail.wav import make_wav


@pytest.fixture
def app_config():  # type: ignore[no-untyped-def]
    return {"WTF_CSRF_ENABLED": True}


def test_a_greeting_upload_needs_the_token_of_the_page(app, employee):
    """Signed in by hand: the shared sign_in helper sends no token."""
    client = app.test_client()
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    client.post("/sign-in", data={"email": employee.email, "csrf_token": token})
    assert client.post("/sign-in/password", data={"password": STRONG_PASSWORD, "csrf_token": token}
                       ).status_code == 302
    page = client.get("/settings/calling/voicemail").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    without = client.post("/settings/calling/voicemail", data=wav_upload(make_wav()))
    assert without.status_code == 400
    upload = {**wav_upload(make_wav()), "csrf_token": token}
    assert client.post("/settings/calling/voicemail", data=upload).status_code == 302
    assert client.get("/settings/calling/voicemail/greetings/busy/audio").status_code == 200
