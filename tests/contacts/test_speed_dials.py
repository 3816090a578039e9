"""Speed dials: codes 00 to 99, one entry per code, a number or an extension of the organization."""

from __future__ import annotations

import pytest

from userhub.contacts.models import SpeedDial
from userhub.extensions import db

URL = "/settings/calling/contacts/speed-dials"


def _add(client, code: str, destination: str = "06 34 33 32 11", description: str = "Mobile"):  # type: ignore[no-untyped-def]
    return client.post(URL, data={"code": code, "destination": destination, "description": description})


def _codes(user_id: int) -> list[str]:
    db.session.expire_all()
    return [s.code_text for s in db.session.query(SpeedDial).filter_by(user_id=user_id).order_by(SpeedDial.code)]


@pytest.mark.parametrize(("code", "accepted"), [("00", True), ("99", True), ("100", False), ("-1", False),
                                                 ("7", False), ("7a", False), ("", False), ("٠٧", False)])
def test_codes_are_two_digits_from_00_to_99(employee_client, employee, code, accepted):
    response = _add(employee_client, code)
    assert response.status_code == (302 if accepted else 400)
    assert _codes(employee.id) == ([code] if accepted else [])
    if not accepted:  # a single digit is refused, not read as "07": see speed_dials.parse_code
        assert "Enter a code of two digits, from 00 to 99 (for example 07)." in response.text
        assert f'value="{code}"' in response.text


def test_a_code_is_used_once_per_user_but_each_user_has_their_own(employee_client, employee, other_client):
    assert _add(employee_client, "07").status_code == 302
    duplicate = _add(employee_client, "07", "01 84 88 32 05")
    assert duplicate.status_code == 400 and "You already use code 07." in duplicate.text
    assert _add(other_client, "07", "+33 6 34 33 32 11").status_code == 302  # no location: international form
    assert _codes(employee.id) == ["07"]


def test_the_database_refuses_a_second_entry_with_the_same_code(app, employee):
    from sqlalchemy.exc import IntegrityError

    db.session.add(SpeedDial(user_id=employee.id, code=12, number="+33634333211"))
    db.session.commit()
    db.session.add(SpeedDial(user_id=employee.id, code=12, extension="2202"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_destination_is_a_number_or_an_existing_extension(employee_client, employee):
    assert _add(employee_client, "01", "2202", "Col").status_code == 302  # a colleague's extension
    assert _add(employee_client, "02", "+44 20 7183 8750", "London").status_code == 302
    unknown = _add(employee_client, "03", "2299")
    assert "No one in your organization has extension 2299." in unknown.text
    invalid = _add(employee_client, "04", "call me")
    assert "Enter a phone number or an extension of your organization." in invalid.text
    stored = {s.code: (s.number, s.extension) for s in db.session.query(SpeedDial).filter_by(user_id=employee.id)}
    assert stored == {1: (None, "2202"), 2: ("+442071838750", None)}
    page = employee_client.get("/settings/calling/contacts").text
    assert "Extension 2202" in page and "+44 20 7183 8750" in page


def test_description_is_at_most_80_characters_and_shown_as_text(employee_client, employee):
    assert _add(employee_client, "05", description="x" * 81).status_code == 400
    assert _add(employee_client, "05", description="<script>alert(1)</script>" + "x" * 55).status_code == 302
    page = employee_client.get("/settings/calling/contacts").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_nobody_deletes_someone_else_s_speed_dial(employee_client, employee, other_client):
    _add(employee_client, "09")
    entry_id = db.session.query(SpeedDial).filter_by(user_id=employee.id).one().id
    assert other_client.post(f"{URL}/{entry_id}/delete").status_code == 404
    assert "09" not in other_client.get("/settings/calling/contacts").text.split("Speed dials")[1][:200]
    assert _codes(employee.id) == ["09"]
    assert employee_client.post(f"{URL}/{entry_id}/delete").status_code == 302
    assert _codes(employee.id) == []


def test_the_page_lets_a_wrong_code_reach_the_server_untruncated(employee_client):
    """A maxlength of 2 made the browser cut "100" to "10" and save it: the code field must take what is
    typed, so the server refuses it with its message."""
    import re

    page = employee_client.get("/settings/calling/contacts").get_data(as_text=True)
    code_input = re.search(r'<input[^>]*\bname="code"[^>]*>', page)
    assert code_input is not None
    maxlength = re.search(r'maxlength="(\d+)"', code_input.group(0))
    assert maxlength is None or int(maxlength.group(1)) >= 3, code_input.group(0)
