"""Input the application cannot read faithfully is refused with a clear message, and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from userhub.accounts.models import User
from userhub.extensions import db


def _form(client, path: str, body: bytes, content_type: str = "application/x-www-form-urlencoded"):  # type: ignore[no-untyped-def]
    return client.post(path, data=body, headers={"Content-Type": content_type})


def test_raw_invalid_utf8_is_refused(user_client):
    response = _form(user_client, "/welcome/name", b"display_name=abc\xff\xfedef")
    assert response.status_code == 400
    assert b"could not be read" in response.data


def test_percent_encoded_invalid_utf8_is_refused(user_client, user):
    response = _form(user_client, "/welcome/name", b"display_name=abc%FF%FEdef")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Jane Doe"


def test_valid_utf8_passes(user_client, user):
    response = _form(user_client, "/welcome/name", "display_name=Zoé%20Ünal".encode())
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Zoé Ünal"


def test_invalid_utf8_in_multipart_is_refused(user_client):
    boundary = "XyZ"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"display_name\"\r\n\r\n".encode()
        + b"abc\xffdef\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = _form(user_client, "/welcome/name", body, f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400


def test_unexpected_content_type_is_refused(user_client):
    response = user_client.post("/welcome/name", data=b'{"display_name": "x"}', headers={"Content-Type": "application/json"})
    assert response.status_code == 415
    assert b"not accepted here" in response.data


def test_a_long_name_gets_a_field_error_and_changes_nothing(user_client, user):
    response = user_client.post("/welcome/name", data={"display_name": "x" * 1_000})
    assert response.status_code == 400
    assert b"Between 1 and 80 characters." in response.data
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Jane Doe"


def test_ten_thousand_characters_are_refused_before_any_view(user_client, user):
    response = user_client.post("/welcome/name", data={"display_name": "x" * 10_000})
    assert response.status_code == 400
    assert b"far longer than this form accepts" in response.data
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Jane Doe"


def test_body_over_the_limit_gets_413(app, user_client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = user_client.post("/welcome/name", data={"display_name": "x" * 5000})
    assert response.status_code == 413


def test_body_cut_short_is_refused(user_client, user):
    response = user_client.post(
        "/welcome/name", data=b"display_name=Mallory", environ_overrides={"CONTENT_LENGTH": "100"},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert b"arrived incomplete" in response.data
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Jane Doe"


def test_multipart_without_its_closing_boundary_is_refused(user_client, user):
    body = b'--XyZ\r\nContent-Disposition: form-data; name="display_name"\r\n\r\nMallory'
    response = _form(user_client, "/welcome/name", body, "multipart/form-data; boundary=XyZ")
    assert response.status_code == 400
    assert b"arrived incomplete" in response.data
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Jane Doe"


def test_truncated_form_changes_nothing(user_client, user):
    response = _form(user_client, "/welcome/name", b"display_na")
    assert response.status_code == 400  # the field is missing: the form says so
    assert b"aria-invalid" in response.data
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_invalid_query_string_is_refused(client):
    assert client.get("/sign-in?next=%FF").status_code == 400
