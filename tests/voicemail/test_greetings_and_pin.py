"""Custom greetings (WAV checked by content, size limit, playback by the owner only) and the access code."""

from __future__ import annotations

import re

import pytest

from tests.voicemail.conftest import settings_data, wav_upload
from userhub.extensions import db
from userhub.voicemail.models import VoicemailPin, VoicemailSettings
from userhub.voicemail.wav import MAX_GREETING_BYTES, NotWav, inspect_wav, make_wav

URL = "/settings/calling/voicemail"


def test_a_wav_file_is_recognised_by_its_content():
    info = inspect_wav(make_wav(2.0))
    assert (info.audio_format, info.sample_rate, info.channels, info.duration_ms) == ("µ-law", 8000, 1, 2000)
    assert inspect_wav(make_wav(0.5, rate=16000, audio_format=1, bits=16)).audio_format == "PCM"
    for not_wav in (b"", b"RIFF" + b"\0" * 60, b"ID3\x03" + b"\0" * 100, make_wav()[:40], make_wav().replace(b"fmt ", b"xxxx")):
        with pytest.raises(NotWav):
            inspect_wav(not_wav)


def test_an_uploaded_greeting_is_played_back_to_its_owner_and_can_be_chosen(employee_client, employee):
    audio = make_wav(1.0)
    # One save: the other settings, and the file, which is stored and chosen for its greeting.
    response = employee_client.post(URL, data=wav_upload(audio, "Accueil occupé.wav", send_busy_calls="y",
                                                         unanswered_rings="5"))
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(VoicemailSettings, employee.id)
    assert (saved.busy_greeting, saved.no_answer_greeting, saved.send_busy_calls, saved.unanswered_rings) == (
        "custom", "default", True, 5)
    page = employee_client.get(URL)
    assert '<audio controls preload="none" src="/settings/calling/voicemail/greetings/busy/audio"' in page.text
    assert "Accueil occupé.wav" in page.text
    played = employee_client.get(f"{URL}/greetings/busy/audio")
    assert (played.status_code, played.mimetype, played.data) == (200, "audio/wav", audio)
    back = employee_client.post(URL, data=settings_data(version=2, busy_greeting="default"))
    chosen = employee_client.post(URL, data=settings_data(version=3, send_busy_calls="y", busy_greeting="custom"))
    assert (back.status_code, chosen.status_code) == (302, 302)
    assert employee_client.get(f"{URL}/greetings/no_answer/audio").status_code == 404


def test_a_file_sent_with_custom_already_chosen_replaces_the_greeting(employee_client, employee):
    employee_client.post(URL, data=wav_upload(make_wav(1.0), "first.wav"))
    second = make_wav(2.0)
    assert employee_client.post(URL, data=wav_upload(second, "second.wav", version=2, busy_greeting="custom")
                                ).status_code == 302
    assert employee_client.get(f"{URL}/greetings/busy/audio").data == second
    db.session.expire_all()
    assert db.session.get(VoicemailSettings, employee.id).busy_greeting == "custom"


def test_custom_greeting_cannot_be_chosen_before_one_is_uploaded(employee_client):
    employee_client.get(URL)
    response = employee_client.post(URL, data=settings_data(no_answer_greeting="custom"))
    assert response.status_code == 400
    assert "Upload a custom greeting before choosing it." in response.text


_REFUSED = {
    "mp3 named .wav": (lambda: b"ID3\x04\x00 this is an mp3 renamed" + b"\0" * 200, "This file is not a WAV audio file."),
    "empty": (lambda: b"", "Choose a file."),
    "one byte over 5000 KB": (lambda: make_wav(seconds=(MAX_GREETING_BYTES - 43) / 8000), "larger than 5,000 KB"),
}


@pytest.mark.parametrize("case", list(_REFUSED))
def test_uploads_that_are_not_wav_or_too_large_are_refused(employee_client, employee, case):
    make_content, message = _REFUSED[case]
    content = make_content()
    # Typed with the file: all of it is kept on the page, none of it saved.
    response = employee_client.post(URL, data=wav_upload(content, "greeting.wav", "no_answer", unanswered_rings="7",
                                                         notification_email="typed@example.com"))
    assert response.status_code == 400
    assert message in response.text
    error = response.text[response.text.index('id="no_answer_greeting_file-error"'):]
    assert message in error[:error.index("</ul>")]
    field = re.search(r'<input[^>]*name="no_answer_greeting_file"[^>]*>', response.text).group(0)
    assert 'aria-invalid="true"' in field and "no_answer_greeting_file-error" in field
    assert 'value="7"' in response.text and 'value="typed@example.com"' in response.text
    assert "Upload a custom greeting before choosing it." not in response.text
    assert employee_client.get(f"{URL}/greetings/no_answer/audio").status_code == 404
    assert db.session.get(VoicemailSettings, employee.id) is None


def test_a_good_file_sent_with_a_wrong_field_is_not_stored_and_says_to_choose_it_again(employee_client, employee):
    response = employee_client.post(URL, data=wav_upload(make_wav(1.0), unanswered_rings="99"))
    assert response.status_code == 400
    assert "Choose between 2 and 20 rings." in response.text
    error = response.text[response.text.index('id="busy_greeting_file-error"'):]
    assert "Nothing was saved: choose this file again." in error[:error.index("</ul>")]
    assert employee_client.get(f"{URL}/greetings/busy/audio").status_code == 404


def test_a_greeting_just_under_the_limit_is_accepted(employee_client):
    largest = make_wav(seconds=(MAX_GREETING_BYTES - 44) / 8000)
    assert len(largest) == MAX_GREETING_BYTES
    assert employee_client.post(URL, data=wav_upload(largest)).status_code == 302


def test_nobody_else_can_play_replace_or_remove_a_greeting(employee_client, employee, other_client):
    audio = make_wav(1.0)
    employee_client.post(URL, data=wav_upload(audio))
    assert other_client.get(f"{URL}/greetings/busy/audio").status_code == 404
    assert other_client.get(f"{URL}/greetings/busy/audio?user_id={employee.id}").status_code == 404
    other_client.post(f"{URL}/greetings/busy/delete", data={"user_id": employee.id})
    assert employee_client.get(f"{URL}/greetings/busy/audio").data == audio


def test_removing_a_chosen_greeting_goes_back_to_the_default_one(employee_client, employee):
    employee_client.post(URL, data=wav_upload(make_wav()))  # stored and chosen
    db.session.expire_all()
    assert db.session.get(VoicemailSettings, employee.id).busy_greeting == "custom"
    assert employee_client.post(f"{URL}/greetings/busy/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(VoicemailSettings, employee.id).busy_greeting == "default"
    assert employee_client.get(f"{URL}/greetings/busy/audio").status_code == 404


# --- access code (PIN) --------------------------------------------------------------------------------


def _set(client, pin: str, confirm: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(f"{URL}/access-code", data={"pin": pin, "confirm": pin if confirm is None else confirm})


def test_the_access_code_is_stored_as_a_hash_and_never_shown(employee_client, employee):
    assert employee_client.get(f"{URL}/access-code").status_code == 200
    assert _set(employee_client, "582049").status_code == 302
    stored = db.session.query(VoicemailPin).filter_by(user_id=employee.id).one()
    assert stored.pin_hash.startswith("$argon2id$") and "582049" not in stored.pin_hash
    for page in (employee_client.get(URL), employee_client.get(f"{URL}/access-code")):
        assert "582049" not in page.text and "Last changed on" in page.text


def test_a_refused_access_code_names_every_broken_rule(employee_client, employee):
    response = _set(employee_client, "012201")  # the extension 2201 reversed is 1022... and 2201 is inside
    assert response.status_code == 400
    assert "Do not use your phone number or extension, forwards or reversed." in response.text
    response = _set(employee_client, "111123")
    assert "Do not use the same digit more than three times in a row." in response.text
    response = _set(employee_client, "1111234")
    errors = response.text[response.text.index('id="pin-error"'):]
    errors = errors[:errors.index("</ul>")]
    assert errors.count("<li>") == 2 and "ascending or descending" in errors and "same digit" in errors
    assert _set(employee_client, "582049", "582048").status_code == 400
    assert db.session.query(VoicemailPin).filter_by(user_id=employee.id).count() == 0


def test_none_of_the_last_ten_access_codes_can_be_used_again(employee_client, employee):
    pins = [f"5820{n}9{n}" for n in range(10)] + ["604918"]  # 11 codes, all valid
    for pin in pins:
        assert _set(employee_client, pin).status_code == 302, pin
    assert db.session.query(VoicemailPin).filter_by(user_id=employee.id).count() == 10
    assert _set(employee_client, pins[0]).status_code == 302  # the 11th before is forgotten
    for recent in (pins[2], pins[-1]):
        response = _set(employee_client, recent)
        assert response.status_code == 400
        assert "Do not use one of your last ten access codes." in response.text


def test_the_page_is_one_form_with_one_save_and_custom_is_disabled_until_uploaded(employee_client):
    import re

    html = employee_client.get(URL).text
    assert html.count(">Save</button>") == 1 and html.count(f'action="{URL}"') == 1
    assert html.count("<form") - html.count('class="language-switch"') >= 1
    # The greetings' file controls are in the settings form, which sends files; no upload form of their own.
    settings_form = html[html.index(f'action="{URL}"'):]
    settings_form = settings_form[:settings_form.index("</form>")]
    assert 'enctype="multipart/form-data"' in html[html.index(f'action="{URL}"') - 80:html.index(f'action="{URL}"') + 80]
    for name in ("busy_greeting_file", "no_answer_greeting_file", "busy_greeting", "no_answer_greeting"):
        assert f'name="{name}"' in settings_form, name
    assert ">Upload" not in html and "/greetings/busy\"" not in html
    # The settings form comes first; the access code (a link, not a form) after it.
    assert html.index('id="settings-title"') < html.index('id="access-code-title"')
    for name in ("busy_greeting", "no_answer_greeting"):
        custom = re.search(rf'<input[^>]*name="{name}"[^>]*value="custom"[^>]*>', html).group(0)
        assert "disabled" in custom and f'aria-describedby="{name}-hint"' in custom
    assert "Custom greeting: choose its WAV file below." in html
    employee_client.post(URL, data=wav_upload(make_wav(1.0), "occupé.wav"))
    html = employee_client.get(URL).text
    assert html.count(">Save</button>") == 1
    # "Remove" belongs to a form of its own after the settings form: Enter in a field of the settings saves them.
    settings_form = html[html.index(f'action="{URL}"'):]
    settings_form = settings_form[:settings_form.index("</form>")]
    first_button = re.search(r"<button[^>]*>", settings_form).group(0)
    assert 'form="remove-greeting-busy"' in first_button
    assert re.search(r'<button type="submit" class="primary">Save</button>', settings_form)
    remove = html[html.index('id="remove-greeting-busy"') - 120:html.index('id="remove-greeting-busy"')]
    assert f'action="{URL}/greetings/busy/delete"' in remove
    assert html.index('id="remove-greeting-busy"') > html.index(f'action="{URL}"') + len(settings_form)
    busy = re.search(r'<input[^>]*name="busy_greeting"[^>]*value="custom"[^>]*>', html).group(0)
    no_answer = re.search(r'<input[^>]*name="no_answer_greeting"[^>]*value="custom"[^>]*>', html).group(0)
    assert "disabled" not in busy and "disabled" in no_answer


def test_the_two_upload_controls_have_distinct_names(employee_client, employee):
    import re

    html = employee_client.get(URL).text
    labels = re.findall(r'<label for="(\w+_greeting_file)">([^<]+)</label>', html)
    assert labels == [("busy_greeting_file", "“Busy” greeting"), ("no_answer_greeting_file", "“No answer” greeting")]
    employee.locale = "fr"
    db.session.commit()
    html = employee_client.get(URL).text
    assert "Message d’accueil «\u202foccupé\u202f»" in html and "Message d’accueil «\u202fpas de réponse\u202f»" in html


def test_sizes_and_durations_are_written_as_the_reader_writes_numbers(employee_client, employee):
    assert employee_client.post(URL, data=wav_upload(make_wav(1.5), "annonce.wav")).status_code == 302
    english = employee_client.get(URL).text
    assert "(11 KB, 1.5 s)" in english and "at most 5,000 KB" in english
    employee.locale = "fr"
    db.session.commit()
    french = employee_client.get(URL).text
    assert "(11\u00a0Ko, 1,5\u00a0s)" in french
    assert "5\u202f000\u00a0Ko au plus" in french
