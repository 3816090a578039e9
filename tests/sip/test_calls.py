"""Real calls through Kamailio with the shipped configuration: each setting taken with real SIP traffic."""

from __future__ import annotations

import pytest

PASSWORD = "correct-horse-battery"
JANE = "+33184883200"


@pytest.fixture
def jane_phone(lab, jane, with_phones):  # type: ignore[no-untyped-def]
    """Jane's registered phone, answering after 300 ms."""
    sip = with_phones(jane, PASSWORD)
    phone = lab.phone("jane", answer_ms=300)
    lab.register((sip, PASSWORD, phone))
    return phone


def test_a_plain_call_rings_the_registered_phone(lab, jane_phone):
    call = lab.call(JANE)
    assert call.code == 200
    assert len(jane_phone.invites()) == 1
    assert lab.voicemail.invites() == [] and lab.gateway.invites() == []


def test_do_not_disturb_answers_busy(lab, jane, jane_phone, set_feature):
    set_feature(jane, "do-not-disturb", enabled=True)
    assert lab.call(JANE).code == 486
    assert jane_phone.invites() == []


def test_anonymous_call_rejection_answers_433(lab, jane, jane_phone, set_feature):
    set_feature(jane, "anonymous-call-rejection", enabled=True)
    assert lab.call(JANE, caller="anonymous").code == 433
    assert lab.call(JANE).code == 200
    assert len(jane_phone.invites()) == 1
