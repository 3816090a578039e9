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


def _header(message: str, name: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in message.splitlines() if line.lower().startswith(name.lower() + ":")]


def test_forward_always_goes_to_the_gateway_with_a_diversion(lab, jane, jane_phone, set_feature):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="+33611111111")
    assert lab.call(JANE).code == 200
    assert jane_phone.invites() == []
    [(_at, invite)] = lab.gateway.invites()
    assert invite.startswith("INVITE sip:+33611111111@")
    assert any("reason=unconditional" in value for value in _header(invite, "Diversion"))


def test_forward_busy_when_the_phone_answers_busy(lab, jane, with_phones, set_feature):
    sip = with_phones(jane, PASSWORD)
    phone = lab.phone("jane", busy=True)
    lab.register((sip, PASSWORD, phone))
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination="+33611111111")
    assert lab.call(JANE).code == 200
    assert len(phone.invites()) == 1
    [(_at, invite)] = lab.gateway.invites()
    assert invite.startswith("INVITE sip:+33611111111@") and "reason=user-busy" in invite


def test_forward_no_answer_after_the_chosen_rings(lab, jane, with_phones, set_feature):
    sip = with_phones(jane, PASSWORD)
    phone = lab.phone("jane")  # never answers
    lab.register((sip, PASSWORD, phone))
    set_feature(jane, "call-forwarding", no_answer_enabled=True, no_answer_destination="+33622222222",
                no_answer_rings=2)  # 2 rings of 1 s in these tests (USERHUB_SIP_RING_SECONDS)
    assert lab.call(JANE).code == 200
    [(rang, _invite)] = phone.invites()
    [(forwarded, invite)] = lab.gateway.invites()
    assert invite.startswith("INVITE sip:+33622222222@") and "reason=no-answer" in invite
    assert 1.8 <= forwarded - rang <= 3.5, forwarded - rang
    assert "CANCEL" in phone.received_methods()  # the phone stopped ringing


def test_business_continuity_when_no_phone_is_registered(lab, jane, with_phones, set_feature):
    with_phones(jane, PASSWORD)  # a password, but no phone registered
    set_feature(jane, "call-forwarding", business_continuity_enabled=True,
                business_continuity_destination="+33633333333")
    assert lab.call(JANE).code == 200
    [(_at, invite)] = lab.gateway.invites()
    assert invite.startswith("INVITE sip:+33633333333@") and "reason=unavailable" in invite


def test_voicemail_last_when_nobody_answers(lab, jane, with_phones):
    sip = with_phones(jane, PASSWORD)
    phone = lab.phone("jane")
    lab.register((sip, PASSWORD, phone))
    # voicemail's defaults: unanswered calls after 3 rings
    assert lab.call(JANE).code == 200
    [(rang, _)] = phone.invites()
    [(answered, invite)] = lab.voicemail.invites()
    assert invite.startswith(f"INVITE sip:{sip}@") and "reason=no-answer" in invite
    assert 2.8 <= answered - rang <= 4.5


def test_simultaneous_ring_first_answer_wins_the_others_get_cancel(lab, jane, john, with_phones, set_feature):
    jane_sip, john_sip = with_phones(jane, PASSWORD), with_phones(john, PASSWORD)
    jane_phone, john_phone = lab.phone("jane", answer_ms=3000), lab.phone("john", answer_ms=300)
    lab.register((jane_sip, PASSWORD, jane_phone), (john_sip, PASSWORD, john_phone))
    set_feature(jane, "simultaneous-ring", enabled=True, numbers=[{"phone_number": "3201",
                                                                   "answer_confirmation": False}])
    assert lab.call(JANE).code == 200
    [(jane_rang, _)], [(john_rang, _)] = jane_phone.invites(), john_phone.invites()
    assert abs(jane_rang - john_rang) < 0.5  # together
    assert "CANCEL" in jane_phone.received_methods()  # John answered first
    assert "CANCEL" not in john_phone.received_methods()


def test_sequential_ring_in_order_with_each_legs_rings(lab, jane, john, with_phones, set_feature):
    jane_sip, john_sip = with_phones(jane, PASSWORD), with_phones(john, PASSWORD)
    jane_phone, john_phone = lab.phone("jane"), lab.phone("john")  # neither answers
    lab.register((jane_sip, PASSWORD, jane_phone), (john_sip, PASSWORD, john_phone))
    set_feature(jane, "sequential-ring", enabled=True, ring_own_devices_first=True, own_devices_rings=2,
                numbers=[{"phone_number": "3201", "answer_confirmation": False, "rings": 2},
                         {"phone_number": "+33644444444", "answer_confirmation": False, "rings": 2}])
    assert lab.call(JANE).code == 200  # the gateway (standing for +33644444444) answers
    [(jane_rang, _)], [(john_rang, _)] = jane_phone.invites(), john_phone.invites()
    [(outside_rang, invite)] = lab.gateway.invites()
    assert invite.startswith("INVITE sip:+33644444444@")
    assert 1.8 <= john_rang - jane_rang <= 3.5 and 1.8 <= outside_rang - john_rang <= 3.5
    assert "CANCEL" in jane_phone.received_methods() and "CANCEL" in john_phone.received_methods()


def test_selective_reject_by_caller_number(lab, jane, jane_phone, set_feature):
    from userhub.calling.saved_criteria import Criterion

    rule = Criterion(name="Démarcheur", calls_from="select", phone_numbers=["+33699999999"])
    set_feature(jane, "selective-reject", criteria=[rule], enabled=True)
    assert lab.call(JANE, caller="+33699999999").code == 603
    assert lab.call(JANE, caller="+33612345678").code == 200
    assert len(jane_phone.invites()) == 1


def test_selective_reject_by_schedule_at_20_00_and_10_00(lab, jane, jane_phone, set_feature):
    from .test_decision import evening_rule, evenings

    set_feature(jane, "selective-reject", criteria=[evening_rule(evenings(jane))], enabled=True)
    assert lab.call(JANE, headers={"X-Userhub-At": "2026-12-07T20:00:00+01:00"}).code == 603
    assert lab.call(JANE, headers={"X-Userhub-At": "2026-12-07T10:00:00+01:00"}).code == 200
    assert len(jane_phone.invites()) == 1


def test_priority_alert_sets_alert_info(lab, jane, jane_phone, set_feature):
    from userhub.calling.saved_criteria import Criterion

    rule = Criterion(name="Patron", calls_from="select", phone_numbers=["+33655555555"])
    set_feature(jane, "priority-alert", criteria=[rule], enabled=True)
    assert lab.call(JANE, caller="+33655555555").code == 200
    assert lab.call(JANE, caller="+33612345678").code == 200
    (_, boss), (_, other) = jane_phone.invites()
    assert _header(boss, "Alert-Info") == ["<urn:alert:priority:high>"]
    assert _header(other, "Alert-Info") == []


def test_a_loop_built_outside_the_portal_is_stopped(lab, jane, john, with_phones, set_feature):
    from dataclasses import replace

    from userhub.calling import registry
    from userhub.calling.models import CallingSetting
    from userhub.extensions import db

    with_phones(jane, PASSWORD)
    with_phones(john, PASSWORD)
    set_feature(john, "call-forwarding", always_enabled=True, always_destination="3200")
    # Jane back to John: the portal's loop check refuses it, so it is written straight into the database.
    feature = registry.get("call-forwarding")
    values = replace(feature.Values(), always_enabled=True, always_destination="3201")
    db.session.add(CallingSetting(user_id=jane.id, feature=feature.key, version=1, values=feature.dump(values)))
    db.session.commit()
    call = lab.call(JANE)
    assert call.code == 482
    assert call.ended - call.started < 5
    assert lab.gateway.invites() == [] and lab.voicemail.invites() == []


def test_fail_open_rings_the_phones_when_userhub_does_not_answer_well(lab, jane, jane_phone):
    from userhub.extensions import db
    from userhub.sip.models import SipAccount, SipServer

    db.session.query(SipServer).delete()  # userhub now refuses this proxy: no plan
    db.session.commit()
    sip = db.session.query(SipAccount).one().sip_user  # fail open finds phones by the SIP user called
    assert lab.call(sip).code == 200
    assert len(jane_phone.invites()) == 1


def test_a_call_that_waited_too_long_for_a_decision_fails_open(app, userhub_server, tmp_path, jane, with_phones,
                                                                set_feature):
    """When the decision servers fall behind, a call queued longer than DECISION_WAIT_MS is not asked
    about: it fails open (here the wait limit is below zero, so every call has waited too long)."""
    import hashlib
    import secrets

    from userhub.extensions import db
    from userhub.sip.models import SipServer

    from .harness import Lab

    token = secrets.token_urlsafe(32)
    db.session.add(SipServer(name="kamailio-test", token_hash=hashlib.sha256(token.encode()).hexdigest()))
    db.session.commit()
    sip = with_phones(jane, PASSWORD)
    set_feature(jane, "do-not-disturb", enabled=True)  # asked, userhub would answer 486
    lab = Lab(tmp_path, userhub_server.url, token)
    try:
        lab.start(decision_wait_ms=-1)
        phone = lab.phone("jane", answer_ms=300)
        lab.register((sip, PASSWORD, phone))
        assert lab.call(sip).code == 200
        assert len(phone.invites()) == 1
    finally:
        lab.stop()
    assert "not asked: waited" in lab.kamailio_log.read_text()


def _on_a_call(lab, called: str):  # type: ignore[no-untyped-def]
    """A first call to ``called``, answered and held open (returns once answered)."""
    import time

    first = lab.place(called, caller="+33677777777", hold_ms=6000)
    deadline = time.monotonic() + 10
    while not first.answered():
        assert time.monotonic() < deadline, "the first call was not answered"
        time.sleep(0.05)
    return first


def test_call_waiting_off_a_second_call_gets_the_busy_treatment(lab, jane, jane_phone, set_feature):
    set_feature(jane, "call-waiting", enabled=False)
    first = _on_a_call(lab, JANE)
    second = lab.call(JANE)
    assert second.code == 486  # nothing set for busy: Busy Here
    assert first.end().code == 200
    assert len(jane_phone.invites()) == 1  # the second call never rang her phone
    assert lab.call(JANE).code == 200  # the first call ended: she is free again
    assert len(jane_phone.invites()) == 2


def test_call_waiting_off_takes_the_busy_forward(lab, jane, jane_phone, set_feature):
    set_feature(jane, "call-waiting", enabled=False)
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination="+33611111111")
    first = _on_a_call(lab, JANE)
    assert lab.call(JANE).code == 200  # answered by the gateway
    first.end()
    assert len(jane_phone.invites()) == 1
    [(_at, invite)] = lab.gateway.invites()
    assert invite.startswith("INVITE sip:+33611111111@") and "reason=user-busy" in invite


def test_call_waiting_on_a_second_call_rings(lab, jane, jane_phone, set_feature):
    set_feature(jane, "call-waiting", enabled=True)
    first = _on_a_call(lab, JANE)
    assert lab.call(JANE).code == 200
    first.end()
    assert len(jane_phone.invites()) == 2


def test_a_phone_calls_a_colleague_by_extension_as_an_internal_call(lab, jane, john, with_phones, set_feature):
    from userhub.calling.saved_criteria import Criterion

    jane_sip, john_sip = with_phones(jane, PASSWORD), with_phones(john, PASSWORD)
    jane_phone, john_phone = lab.phone("jane"), lab.phone("john", answer_ms=300)
    lab.register((jane_sip, PASSWORD, jane_phone), (john_sip, PASSWORD, john_phone))
    # John rejects external calls: only a call the decision knows as internal reaches him
    rule = Criterion(name="Dehors", calls_from="external")
    set_feature(john, "selective-reject", criteria=[rule], enabled=True)
    assert lab.phone_call(jane_sip, PASSWORD, "3201").code == 200
    [(_at, invite)] = john_phone.invites()
    assert invite.startswith(f"INVITE sip:{john_sip}@")
    assert lab.call("+33184883201").code == 603  # the same rule on a call from the public network
    assert len(john_phone.invites()) == 1 and jane_phone.invites() == []


def test_a_phone_call_with_a_wrong_password_rings_nobody(lab, jane, john, with_phones):
    jane_sip, john_sip = with_phones(jane, PASSWORD), with_phones(john, PASSWORD)
    john_phone = lab.phone("john", answer_ms=300)
    lab.register((john_sip, PASSWORD, john_phone))
    assert lab.phone_call(jane_sip, "not-the-password-1", "3201").code == 407
    assert john_phone.invites() == []


def test_a_phone_user_on_a_call_they_placed_gets_the_busy_treatment(lab, jane, john, with_phones, set_feature):
    import threading

    jane_sip, john_sip = with_phones(jane, PASSWORD), with_phones(john, PASSWORD)
    jane_phone, john_phone = lab.phone("jane"), lab.phone("john", answer_ms=100)
    lab.register((jane_sip, PASSWORD, jane_phone), (john_sip, PASSWORD, john_phone))
    set_feature(jane, "call-waiting", enabled=False)
    placed: list[int] = []
    thread = threading.Thread(target=lambda: placed.append(lab.phone_call(jane_sip, PASSWORD, "3201",
                                                                          hold_ms=6000).code))
    thread.start()
    try:
        _wait_for(lambda: john_phone.invites() != [])
        import time

        time.sleep(1)  # John's phone answers after 100 ms
        assert lab.call(JANE).code == 486  # Jane is on the call she placed
    finally:
        thread.join(timeout=30)
    assert placed == [200]
    assert jane_phone.invites() == []


def _wait_for(condition, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def test_executive_filtering_alerts_the_assistants_one_after_the_other(lab, jane, john, make_user, organization,
                                                                        with_phones, set_feature):
    location = organization.locations[0]
    anna = make_user("anna.lee@example.com", first_name="Anna", last_name="Lee", location=location,
                     extension="3209")
    jane_sip, john_sip, anna_sip = (with_phones(person, PASSWORD) for person in (jane, john, anna))
    jane_phone, john_phone, anna_phone = lab.phone("jane"), lab.phone("john"), lab.phone("anna", answer_ms=300)
    lab.register((jane_sip, PASSWORD, jane_phone), (john_sip, PASSWORD, john_phone),
                 (anna_sip, PASSWORD, anna_phone))
    set_feature(jane, "executive", enabled=True, assistants=[john.id, anna.id], filtering_enabled=True,
                filter_type="external", alerting_mode="sequential", next_assistant_rings=2)
    assert lab.call(JANE).code == 200  # Anna, the second assistant, answers
    assert jane_phone.invites() == []  # the executive is not disturbed
    [(john_rang, _)], [(anna_rang, invite)] = john_phone.invites(), anna_phone.invites()
    assert 1.8 <= anna_rang - john_rang <= 3.5  # 2 rings of 1 s each (USERHUB_SIP_RING_SECONDS)
    assert invite.startswith(f"INVITE sip:{anna_sip}@")
    assert "CANCEL" in john_phone.received_methods()
    # an internal call is not filtered: it rings the executive (then her voicemail answers)
    assert lab.phone_call(john_sip, PASSWORD, "3200").code == 200
    assert len(jane_phone.invites()) == 1 and len(anna_phone.invites()) == 1


def test_single_number_reach_rings_the_mobile_through_the_gateway_with_the_phones(lab, jane, with_phones,
                                                                                 set_feature):
    sip = with_phones(jane, PASSWORD)
    phone = lab.phone("jane")  # never answers: the mobile (the gateway) does
    lab.register((sip, PASSWORD, phone))
    set_feature(jane, "single-number-reach", enabled=True,
                numbers=[{"phone_number": "+33688888888", "name": "Mobile", "enabled": True,
                          "answer_confirmation": False, "do_not_forward": False}])
    assert lab.call(JANE).code == 200
    [(rang, _)] = phone.invites()
    [(mobile_rang, invite)] = lab.gateway.invites()
    assert invite.startswith("INVITE sip:+33688888888@")
    assert abs(mobile_rang - rang) < 0.5  # together
    assert "CANCEL" in phone.received_methods()  # the mobile answered first


def _answers(call) -> list[str]:  # type: ignore[no-untyped-def]
    """The 180 and 200 answers to the INVITE the caller received."""
    return [m for _at, m in call.part.received() if m.startswith(("SIP/2.0 180", "SIP/2.0 200"))
            and _header(m, "CSeq")[0].endswith("INVITE")]


def test_block_caller_id_hides_who_took_a_forwarded_call(lab, jane, jane_phone, set_feature):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="+33611111111")
    shown = lab.call(JANE)  # block caller ID off: the caller sees who answered
    assert shown.code == 200 and _answers(shown)
    assert all(_header(m, "Privacy") == [] and _header(m, "P-Asserted-Identity") for m in _answers(shown))
    set_feature(jane, "block-caller-id", privacy="all")
    hidden = lab.call(JANE)
    assert hidden.code == 200 and _answers(hidden)
    assert all(_header(m, "Privacy") == ["id"] and _header(m, "P-Asserted-Identity") == [] for m in _answers(hidden))
    assert len(lab.gateway.invites()) == 2


def test_block_caller_id_leaves_calls_the_person_answers_alone(lab, jane, jane_phone, set_feature):
    set_feature(jane, "block-caller-id", privacy="all")
    call = lab.call(JANE)  # not forwarded: her own phone answers
    assert call.code == 200 and _answers(call)
    assert all(_header(m, "Privacy") == [] for m in _answers(call))


def test_block_caller_id_for_external_calls_only(lab, jane, john, with_phones, set_feature):
    with_phones(jane, PASSWORD)
    john_sip = with_phones(john, PASSWORD)
    john_phone = lab.phone("john", answer_ms=100)
    lab.register((john_sip, PASSWORD, john_phone))
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="+33611111111")
    set_feature(jane, "block-caller-id", privacy="external")
    inside = lab.phone_call(john_sip, PASSWORD, "3200")
    outside = lab.call(JANE)
    assert inside.code == 200 and outside.code == 200
    assert _answers(inside) and all(_header(m, "Privacy") == [] for m in _answers(inside))
    assert _answers(outside) and all(_header(m, "Privacy") == ["id"] for m in _answers(outside))
