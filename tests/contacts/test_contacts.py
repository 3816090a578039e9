"""Personal contacts: up to five typed numbers, search, vCard import (all or nothing) and export, isolation."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from userhub.contacts.models import Contact
from userhub.extensions import db

URL = "/settings/calling/contacts"


def _form(name: str, *numbers: tuple[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name}
    for i, (kind, number) in enumerate(numbers):
        data[f"numbers-{i}-kind"] = kind
        data[f"numbers-{i}-number"] = number
    return data


def _contacts(user_id: int) -> list[tuple[str, list[tuple[str, str]]]]:
    db.session.expire_all()
    rows = db.session.query(Contact).filter_by(user_id=user_id).order_by(Contact.name)
    return [(c.name, [(n.kind, n.number) for n in c.numbers]) for c in rows]


def _import(client, text: str | bytes):  # type: ignore[no-untyped-def]
    data = text.encode() if isinstance(text, str) else text
    return client.post(f"{URL}/import", data={"vcard_file": (BytesIO(data), "contacts.vcf")})


def test_a_contact_keeps_five_typed_numbers_and_is_shown_as_text(employee_client, employee):
    numbers = [("work", "01 84 88 32 05"), ("mobile", "06 34 33 32 11"), ("home", "+44 20 7183 8750"),
               ("fax", "01 84 88 32 09"), ("other", "+1 202 555 1212")]
    response = employee_client.post(f"{URL}/new", data=_form("<i>Zoé</i> & Co", *numbers))
    assert response.status_code == 302
    [(name, stored)] = _contacts(employee.id)
    assert name == "<i>Zoé</i> & Co"
    assert stored[:2] == [("work", "+33184883205"), ("mobile", "+33634333211")] and len(stored) == 5
    page = employee_client.get(URL).text
    assert "&lt;i&gt;Zoé&lt;/i&gt; &amp; Co" in page and "<i>Zoé</i>" not in page
    assert "06 34 33 32 11" in page  # national format for a reader in France


def test_a_bad_number_is_refused_next_to_its_field_and_nothing_is_saved(employee_client, employee):
    response = employee_client.post(f"{URL}/new", data=_form("Zoé", ("work", "01 84 88 32 05"), ("mobile", "12")))
    assert response.status_code == 400
    assert "“12” is not a valid phone number." in response.text
    assert 'aria-describedby="numbers-1-number-error"' in response.text
    assert 'value="Zoé"' in response.text
    assert employee_client.post(f"{URL}/new", data=_form("  ")).status_code == 400
    assert _contacts(employee.id) == []


def test_contacts_are_found_by_name_or_by_number_as_people_type_it(employee_client, employee):
    employee_client.post(f"{URL}/new", data=_form("Alice Martin", ("mobile", "06 34 33 32 11")))
    employee_client.post(f"{URL}/new", data=_form("Bob 100%", ("work", "01 84 88 32 05")))

    def found(query: str) -> list[str]:
        page = employee_client.get(URL, query_string={"q": query}).text
        return [name for name in ("Alice Martin", "Bob 100%") if name in page]

    assert found("alice") == ["Alice Martin"]
    assert found("06 34 33") == ["Alice Martin"]
    assert found("+33 1 84 88 32 05") == ["Bob 100%"]
    assert found("100%") == ["Bob 100%"]
    assert found("%") == ["Bob 100%"]  # a wildcard is searched literally
    assert "No contact matches" in employee_client.get(URL, query_string={"q": "zzz"}).text


def test_editing_replaces_the_numbers(employee_client, employee):
    employee_client.post(f"{URL}/new", data=_form("Alice", ("mobile", "06 34 33 32 11"), ("work", "01 84 88 32 05")))
    contact_id = db.session.query(Contact).filter_by(user_id=employee.id).one().id
    assert 'value="06 34 33 32 11"' in employee_client.get(f"{URL}/{contact_id}").text
    assert employee_client.post(f"{URL}/{contact_id}", data=_form("Alice B", ("home", "01 84 88 32 09"))).status_code == 302
    assert _contacts(employee.id) == [("Alice B", [("home", "+33184883209")])]


def test_nobody_reads_changes_or_deletes_someone_else_s_contacts(employee_client, employee, other_client):
    employee_client.post(f"{URL}/new", data=_form("Secret Alice", ("mobile", "06 34 33 32 11")))
    contact_id = db.session.query(Contact).filter_by(user_id=employee.id).one().id
    assert other_client.get(f"{URL}/{contact_id}").status_code == 404
    assert other_client.post(f"{URL}/{contact_id}", data=_form("Mine now")).status_code == 404
    assert other_client.post(f"{URL}/{contact_id}/delete").status_code == 404
    assert "Secret Alice" not in other_client.get(URL, query_string={"q": "Secret"}).text
    assert "Secret Alice" not in other_client.get(f"{URL}/contacts.vcf").text
    assert _contacts(employee.id) == [("Secret Alice", [("mobile", "+33634333211")])]
    assert employee_client.post(f"{URL}/{contact_id}/delete").status_code == 302
    assert _contacts(employee.id) == []


def test_vcard_export_then_import_gives_the_same_contacts(employee_client, employee, other_client):
    employee_client.post(f"{URL}/new", data=_form("Zoé; \"Accueil\", <b>Paris</b>",
                                                  ("work", "01 84 88 32 05"), ("mobile", "06 34 33 32 11")))
    employee_client.post(f"{URL}/new", data=_form("Bob", ("home", "+44 20 7183 8750")))
    exported = employee_client.get(f"{URL}/contacts.vcf")
    assert exported.mimetype == "text/vcard" and "attachment" in exported.headers["Content-Disposition"]
    assert _import(other_client, exported.data).status_code == 302
    other_id = db.session.query(Contact).filter(Contact.user_id != employee.id).first().user_id
    assert _contacts(other_id) == _contacts(employee.id)


def test_an_import_with_one_bad_card_imports_nothing_and_names_each_problem(employee_client, employee):
    text = ("BEGIN:VCARD\nVERSION:3.0\nFN:Good\nTEL:06 34 33 32 11\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:3.0\nFN:Bad\nTEL;TYPE=CELL:not a number\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:3.0\nTEL:+33184883205\nEND:VCARD\n")
    response = _import(employee_client, text)
    assert response.status_code == 400
    assert "Nothing was imported: the file has 2 problems, listed below." in response.text
    assert "Line 9: “not a number” is not a valid phone number." in response.text
    assert "Line 11: This card has no name (FN or N)." in response.text
    assert _contacts(employee.id) == []


def test_imports_that_are_too_large_or_not_text_are_refused(employee_client, employee):
    from userhub.contacts.services import MAX_IMPORT_BYTES

    big = "BEGIN:VCARD\nFN:A\nEND:VCARD\n" * (MAX_IMPORT_BYTES // 25 + 1)
    assert "The file is larger than 512 KB." in _import(employee_client, big).text
    assert "The file is not UTF-8 text." in _import(employee_client, b"BEGIN:VCARD\nFN:\xff\nEND:VCARD").text
    assert "Choose a file." in _import(employee_client, b"").text
    assert _contacts(employee.id) == []


def test_deleting_the_user_deletes_their_contacts_and_speed_dials(employee_client, employee):
    from userhub.contacts.models import ContactNumber, SpeedDial

    employee_client.post(f"{URL}/new", data=_form("Alice", ("mobile", "06 34 33 32 11")))
    employee_client.post(f"{URL}/speed-dials", data={"code": "01", "destination": "2202"})
    db.session.delete(db.session.get(type(employee), employee.id))
    db.session.commit()
    assert (db.session.query(Contact).count(), db.session.query(ContactNumber).count(),
            db.session.query(SpeedDial).count()) == (0, 0, 0)
