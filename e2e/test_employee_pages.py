"""Employee pages as a person uses them: what is typed reaches the server as typed."""

from __future__ import annotations

import pytest

from e2e.axe import assert_accessible
from e2e.pages.contacts import ContactsPage
from e2e.test_activation import STRONG_PASSWORD


@pytest.mark.parametrize("lang", ["fr"])
def test_a_three_digit_speed_dial_code_is_refused_not_cut(page, activated_employee, base_url, lang):  # type: ignore[no-untyped-def]
    activated_employee("Noé", "Marchand", STRONG_PASSWORD)
    contacts = ContactsPage(page, lang).open(base_url)
    contacts.type_speed_dial("100", "+33 6 34 33 32 11", "Portable")
    contacts.expect_code_refused("100")
    assert_accessible(page)
    contacts.add_speed_dial("10", "+33 6 34 33 32 11", "Portable")
    contacts.expect_speed_dial("10", "+33 6 34 33 32 11", "Portable")
