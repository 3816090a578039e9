"""A new employee, in French, sets the voicemail access code ("code d’accès"), adds a speed dial and a
contact (article "User Hub pour Webex Calling": Paramètres > Appel > Messagerie vocale, Contacts).
Every page a person fills in is checked with axe-core."""

from __future__ import annotations

import pytest

from e2e.axe import assert_accessible
from e2e.pages.contacts import ContactsPage
from e2e.pages.voicemail import VoicemailPage
from e2e.test_activation import STRONG_PASSWORD


@pytest.mark.parametrize("lang", ["fr"])
def test_voicemail_pin_speed_dial_and_contact(page, activated_employee, base_url, lang):  # type: ignore[no-untyped-def]
    activated_employee("Inès", "Garnier", STRONG_PASSWORD)

    voicemail = VoicemailPage(page, lang).open(base_url)
    assert_accessible(page)
    voicemail.open_access_code()
    assert_accessible(page)
    voicemail.set_access_code("901234")  # 1234: four ascending digits
    voicemail.expect_refused_for_sequence()
    assert_accessible(page)
    voicemail.set_access_code("582049")
    voicemail.expect_saved()
    assert "582049" not in page.content()

    contacts = ContactsPage(page, lang).open(base_url)
    assert_accessible(page)
    contacts.add_speed_dial("07", "+33 6 34 33 32 11", "Portable de Léa")
    contacts.expect_speed_dial("07", "+33 6 34 33 32 11", "Portable de Léa")
    contacts.open_new_contact()
    assert_accessible(page)
    contacts.add_contact("Léa Moreau", "mobile", "+33 6 34 33 32 12")
    contacts.expect_contact("Léa Moreau", "+33 6 34 33 32 12")
    assert_accessible(page)
