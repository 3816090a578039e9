"""Voicemail greetings in the browser: "Annonce personnalisée" cannot be chosen before a greeting is
uploaded; a file sent with the settings (one save) is uploaded and chosen; a refused file keeps what was
typed and says why on its own control; each file control is found by its own name; the page stays accessible."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.axe import assert_accessible
from e2e.pages.voicemail import VoicemailPage
from e2e.test_activation import STRONG_PASSWORD
from userhub.voicemail.wav import make_wav


@pytest.mark.parametrize("lang", ["fr"])
def test_a_custom_greeting_is_chosen_once_uploaded(page, activated_employee, base_url, lang, tmp_path):  # type: ignore[no-untyped-def]
    activated_employee("Yanis", "Perrin", STRONG_PASSWORD)
    voicemail = VoicemailPage(page, lang).open(base_url)
    expect(voicemail.custom_greeting_choice("busy")).to_be_disabled()
    assert_accessible(page)
    wav = tmp_path / "accueil-occupe.wav"
    wav.write_bytes(make_wav(1.0))
    voicemail.upload_greeting("busy", str(wav))
    expect(page.get_by_role("status")).to_be_visible()
    expect(voicemail.custom_greeting_choice("busy")).to_be_enabled()
    expect(voicemail.custom_greeting_choice("busy")).to_be_checked()
    expect(voicemail.custom_greeting_choice("no_answer")).to_be_disabled()
    assert_accessible(page)
    # A file that is not WAV: nothing saved, the rings typed are still there, the error sits on the file's control.
    not_wav = tmp_path / "accueil.wav"
    not_wav.write_bytes(b"ID3\x04\x00 an mp3 renamed" + b"\0" * 200)
    page.get_by_label(voicemail.words["rings"], exact=True).fill("7")
    voicemail.choose_greeting_file("no_answer", str(not_wav))
    voicemail.save_settings()
    control = page.get_by_label(voicemail.words["no_answer_upload"], exact=True)
    expect(control).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#no_answer_greeting_file-error")).to_contain_text(voicemail.words["not_wav"])
    expect(page.get_by_label(voicemail.words["rings"], exact=True)).to_have_value("7")
    assert_accessible(page)
