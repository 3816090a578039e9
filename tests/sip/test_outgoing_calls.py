"""Calls placed by phones to public numbers, with real SIP through the shipped Kamailio configuration:
out through the gateway with the caller's own number, never for a caller who did not authenticate."""

from __future__ import annotations

import pytest

from .test_calls import _header

PASSWORD = "correct-horse-battery"
OUR_IDENTITY = "<sip:+33184883200@userhub.local;user=phone>"  # Jane's own number, as the gateway gets it


@pytest.fixture
def jane_sip(lab, jane, with_phones):  # type: ignore[no-untyped-def]
    """Jane's SIP user name (her phone places the calls: no registration needed to call)."""
    return with_phones(jane, PASSWORD)


@pytest.mark.parametrize("dialled", ["0612345678", "+33612345678"])
def test_a_phone_calls_a_public_number_through_the_gateway_with_its_own_number(lab, jane_sip, dialled):
    # what the phone claims (an identity, a diversion carriers would trust) never reaches the gateway
    call = lab.phone_call(jane_sip, PASSWORD, dialled, headers={"P-Asserted-Identity": "<sip:+33999999999@x.example>",
                                                                "Diversion": "<sip:+33899000000@x.example>;reason=unconditional",
                                                                "History-Info": "<sip:+33899000000@x.example>;index=1"})
    assert call.code == 200  # the gateway (the public network) answered
    [(_at, invite)] = lab.gateway.invites()
    assert invite.startswith("INVITE sip:+33612345678@127.0.0.1:")
    # the caller ID is the one userhub gives, not the one the phone claimed
    assert _header(invite, "P-Asserted-Identity") == [OUR_IDENTITY]
    assert _header(invite, "Privacy") == [] and _header(invite, "Diversion") == []
    assert _header(invite, "History-Info") == []
    assert "BYE" in lab.gateway.received_methods()  # the call ended through the proxy
    assert lab.voicemail.invites() == []


def test_a_phone_that_hides_its_number_says_privacy_id_to_the_gateway(lab, jane_sip):
    call = lab.phone_call(jane_sip, PASSWORD, "0612345678", headers={"Privacy": "id"})
    assert call.code == 200
    [(_at, invite)] = lab.gateway.invites()
    # the gateway, trusted, still gets who calls (emergency services, abuse), and withholds it (RFC 3325)
    assert _header(invite, "Privacy") == ["id"]
    assert _header(invite, "P-Asserted-Identity") == [OUR_IDENTITY]


def test_no_toll_fraud_an_unauthenticated_call_to_a_public_number_is_challenged_and_never_relayed(
        lab, jane_sip):
    # claims to be Jane's phone, without credentials: challenged
    assert lab.call("+33612345678", caller=jane_sip, from_domain="userhub.local").code == 407
    # with a wrong password: challenged again, never relayed
    assert lab.phone_call(jane_sip, "not-the-password-1", "+33612345678").code == 407
    assert lab.phone_call(jane_sip, "not-the-password-1", "0612345678").code == 407
    # an outside caller asking the proxy to reach a public number: the proxy is no open relay
    assert lab.call("+33612345678", caller="+33655555555").code == 404
    assert lab.gateway.invites() == []


def test_a_colleagues_number_dialled_in_national_form_stays_internal(lab, jane_sip, john, with_phones):
    john_sip = with_phones(john, PASSWORD)
    john_phone = lab.phone("john", answer_ms=100)
    lab.register((john_sip, PASSWORD, john_phone))
    assert lab.phone_call(jane_sip, PASSWORD, "0184883201").code == 200
    assert lab.phone_call(jane_sip, PASSWORD, "3201").code == 200
    assert [m.split(" ", 2)[1] for _at, m in john_phone.invites()] == [f"sip:{john_sip}@127.0.0.1:{john_phone.port}"] * 2
    assert lab.gateway.invites() == []


def test_a_caller_without_a_number_of_their_own_cannot_call_out(lab, make_user, organization, with_phones):
    nobody = make_user("no.number@example.com", location=organization.locations[0], extension="3205")
    sip = with_phones(nobody, PASSWORD)
    assert lab.phone_call(sip, PASSWORD, "0612345678").code == 403
    assert lab.gateway.invites() == []


@pytest.mark.parametrize("location", [True, False], ids=["with-location", "without-location"])
def test_a_person_without_a_number_still_reaches_the_emergency_services(lab, make_user, organization, with_phones,
                                                                        location):
    nobody = make_user("no.number@example.com", location=organization.locations[0] if location else None)
    sip = with_phones(nobody, PASSWORD)
    assert lab.phone_call(sip, PASSWORD, "112", headers={"P-Asserted-Identity": "<sip:+33999999999@x.example>"}).code == 200
    [(_at, invite)] = lab.gateway.invites()
    assert invite.startswith("INVITE sip:112@127.0.0.1:")
    assert _header(invite, "P-Asserted-Identity") == []  # no number of theirs: the trunk's applies
    assert "BYE" in lab.gateway.received_methods()  # the call's own requests pass the proxy


@pytest.mark.parametrize("dialled", ["114", "191", "196", "197", "116117"])
def test_every_emergency_number_the_proxy_knows_goes_out_while_userhub_answers(lab, jane_sip, dialled):
    # the same list whether userhub answers or not (kamailio.cfg's EMERGENCY_NUMBERS)
    assert lab.phone_call(jane_sip, PASSWORD, dialled).code == 200
    [(_at, invite)] = lab.gateway.invites()
    assert invite.startswith(f"INVITE sip:{dialled}@127.0.0.1:")
    assert _header(invite, "P-Asserted-Identity") == [OUR_IDENTITY]


def test_a_sip_user_name_of_another_organization_is_not_a_number_to_call(lab, jane_sip, with_phones):
    from userhub.accounts.provisioning import create_user
    from userhub.extensions import db
    from userhub.organizations.services import create_location, create_organization

    globex = create_organization("Globex")
    create_location(globex, "Lyon", "FR", "Europe/Paris")
    stranger = create_user(globex, "someone@globex.example", first_name="Sam", last_name="Stone",
                           location=globex.locations[0])
    db.session.commit()
    stranger_sip = with_phones(stranger, PASSWORD)
    stranger_phone = lab.phone("stranger", answer_ms=100)
    lab.register((stranger_sip, PASSWORD, stranger_phone))
    assert lab.phone_call(jane_sip, PASSWORD, stranger_sip).code == 404
    assert stranger_phone.invites() == []


def test_a_forged_request_within_a_dialog_that_does_not_exist_is_refused(lab):
    """An INVITE from anywhere with a made-up To-tag and a Route naming the proxy, aimed at the gateway:
    requests within a dialog are relayed only for dialogs the proxy set up itself."""
    import socket

    attacker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    attacker.bind(("127.0.0.1", 0))
    attacker.settimeout(5)
    port = attacker.getsockname()[1]
    forged = (f"INVITE sip:+33899123456@127.0.0.1:{lab.gateway.port} SIP/2.0\r\n"
              f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-forged-1;rport\r\n"
              "Max-Forwards: 70\r\n"
              f"Route: <sip:127.0.0.1:{lab.proxy_port};lr>\r\n"
              "From: <sip:mallory@attacker.example>;tag=a1\r\n"
              "To: <sip:+33899123456@gateway.example>;tag=made-up\r\n"
              "Call-ID: forged-1@attacker.example\r\nCSeq: 2 INVITE\r\n"
              f"Contact: <sip:mallory@127.0.0.1:{port}>\r\nContent-Length: 0\r\n\r\n")
    try:
        attacker.sendto(forged.encode(), ("127.0.0.1", lab.proxy_port))
        answer = attacker.recvfrom(65535)[0].decode(errors="replace")
    finally:
        attacker.close()
    assert answer.startswith("SIP/2.0 403")
    assert lab.gateway.invites() == []


@pytest.fixture
def impatient_lab(app, userhub_server, tmp_path):  # type: ignore[no-untyped-def]
    """A proxy that never asks userhub where a call goes: every call has waited too long (fail open)."""
    import hashlib
    import secrets

    from userhub.extensions import db
    from userhub.sip.models import SipServer

    from .harness import Lab

    token = secrets.token_urlsafe(32)
    db.session.add(SipServer(name="kamailio-test", token_hash=hashlib.sha256(token.encode()).hexdigest()))
    db.session.commit()
    lab = Lab(tmp_path, userhub_server.url, token)
    try:
        lab.start(decision_wait_ms=-1)
        yield lab
    finally:
        lab.stop()


def test_a_placed_call_without_an_answer_from_userhub_is_refused_not_rung_as_a_person(impatient_lab, jane,
                                                                                     with_phones):
    """The question about where a phone's call goes gets no answer: nothing is rung in the dialled
    number's name, nothing goes out but emergencies."""
    sip = with_phones(jane, PASSWORD)
    assert impatient_lab.phone_call(sip, PASSWORD, "0612345678").code == 503
    assert impatient_lab.gateway.invites() == [] and impatient_lab.voicemail.invites() == []


def test_an_emergency_call_goes_out_even_when_userhub_does_not_answer(lab, jane_sip):
    from userhub.extensions import db
    from userhub.sip.models import SipServer

    db.session.query(SipServer).delete()  # userhub now refuses this proxy: no credentials, no decision
    db.session.commit()
    call = lab.phone_call(jane_sip, PASSWORD, "112", headers={"P-Asserted-Identity": "<sip:+33999999999@x.example>"})
    assert call.code == 200  # the emergency services (the gateway) answered
    [(_at, invite)] = lab.gateway.invites()
    assert invite.startswith("INVITE sip:112@127.0.0.1:")
    assert _header(invite, "P-Asserted-Identity") == []  # no identity the proxy could not check
    # nothing else goes out that way: an ordinary public number is refused while userhub is away
    assert lab.phone_call(jane_sip, PASSWORD, "0612345678").code == 503
    assert len(lab.gateway.invites()) == 1


def test_an_emergency_call_goes_out_when_the_decision_fails_open(impatient_lab, jane, with_phones):
    """The phone is checked, but the decision is not asked: the fail-open plan would ring "112" as a
    person; an emergency call goes to the gateway instead."""
    sip = with_phones(jane, PASSWORD)
    assert impatient_lab.phone_call(sip, PASSWORD, "112").code == 200
    [(_at, invite)] = impatient_lab.gateway.invites()
    assert invite.startswith("INVITE sip:112@127.0.0.1:")
    assert impatient_lab.voicemail.invites() == []
