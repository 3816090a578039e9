"""The vCard reader and writer on their own (no database)."""

from __future__ import annotations

import pytest

from userhub.contacts.vcard import VCardError, export_vcards, parse_vcards


def test_what_is_written_reads_back_the_same():
    contacts = [
        ("Zoé O'Brien; \"Accueil\", Paris\\Lyon", [("work", "+33184883201"), ("mobile", "+33634333211")]),
        ("<b>Bob</b> " + "é" * 80, [("home", "+12025551212"), ("fax", "+33184883209"), ("other", "+442071838750")]),
        ("No number", []),
    ]
    text = export_vcards(contacts)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cards = parse_vcards(text)
    assert [(c.name, [(n.kind, n.text) for n in c.numbers]) for c in cards] == contacts


def test_cards_from_other_programs_are_understood():
    text = (
        "BEGIN:VCARD\nVERSION:2.1\nN:Doe;Jane;;Dr.;\nTEL;CELL;PREF:+33 6 34 33 32 11\nTEL;WORK;VOICE:01 84 88 32 01\n"
        "EMAIL:jane@example.com\nEND:VCARD\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:John\r\n  Roe\r\nitem1.TEL;VALUE=uri;TYPE=\"voice,home\":tel:+1-202-555-1212\r\n"
        "END:VCARD\r\n"
    )
    jane, john = parse_vcards(text)
    assert jane.name == "Dr. Jane Doe"
    assert [(n.kind, n.text) for n in jane.numbers] == [("mobile", "+33 6 34 33 32 11"), ("work", "01 84 88 32 01")]
    assert john.name == "John Roe"  # folded line
    assert [(n.kind, n.text) for n in john.numbers] == [("home", "+1-202-555-1212")]


def test_a_broken_file_is_refused_with_every_problem_and_its_line():
    text = "\n".join([
        "hello",  # 1: not a property
        "BEGIN:VCARD", "VERSION:3.0", "TEL:+33184883201", "END:VCARD",  # 2: no name
        "BEGIN:VCARD", "VERSION:5.0", "FN:Too many", *[f"TEL:+3318488320{i}" for i in range(6)], "END:VCARD",
        "BEGIN:VCARD", "FN:Never ended",  # 16
    ])
    with pytest.raises(VCardError) as refused:
        parse_vcards(text)
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (1, "This line is not a vCard property."),
        (2, "This card has no name (FN or N)."),
        (7, "vCard version 5.0 is not supported."),
        (14, "A contact has at most 5 numbers."),
        (16, "This card has no END:VCARD line."),
    ]


def test_an_empty_file_and_encoded_values_are_refused():
    with pytest.raises(VCardError, match="no vCard"):
        parse_vcards("\n\n")
    with pytest.raises(VCardError) as refused:
        parse_vcards("BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9\nEND:VCARD\n")
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (1, "This card has no name (FN or N)."),  # the only name could not be read
        (2, "Encoded values (QUOTED-PRINTABLE) are not supported."),
    ]
