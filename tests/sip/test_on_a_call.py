"""When a person is "on a call" for call waiting: from the moment a call is sent to their phones (the
dialog joins the "active" profile before the relay, which is also what lets proxies share it over DMQ)."""

from __future__ import annotations

import time

PASSWORD = "correct-horse-battery"
JANE = "+33184883200"


def test_call_waiting_off_a_call_while_the_first_one_rings_gets_the_busy_treatment(lab, jane, with_phones,
                                                                                  set_feature):
    sip = with_phones(jane, PASSWORD)
    phone = lab.phone("jane", answer_ms=2000)  # rings 2 s before answering (voicemail would take it at 3 s)
    lab.register((sip, PASSWORD, phone))
    set_feature(jane, "call-waiting", enabled=False)
    first = lab.place(JANE, caller="+33677777777")
    deadline = time.monotonic() + 10
    while not phone.invites():
        assert time.monotonic() < deadline, "the first call did not ring"
        time.sleep(0.05)
    second = lab.call(JANE)
    assert not first.answered()  # still ringing when the second call was turned away
    assert second.code == 486
    assert first.end().code == 200
    assert len(phone.invites()) == 1
