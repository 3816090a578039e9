"""Two Kamailio proxies in front of one userhub, with real SIP: call waiting counts the calls of both
when they share their dialogs over DMQ (WITH_DMQ), and only each proxy's own calls when they do not."""

from __future__ import annotations

import hashlib
import secrets
import time

import pytest

from .harness import Lab, udp_port

PASSWORD = "correct-horse-battery"
JANE = "+33184883200"


def _dmq_defines(own: int, other: int) -> list[str]:
    return ["WITH_DMQ", f"DMQ_LISTEN=udp:127.0.0.1:{own}", f'DMQ_ADDRESS="sip:127.0.0.1:{own}"',
            f'DMQ_NOTIFY="sip:127.0.0.1:{other}"']


def _wait_for(condition, seconds: float = 15) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.1)


@pytest.fixture
def proxies(app, userhub_server, tmp_path):  # type: ignore[no-untyped-def]
    """proxies(dmq) -> (proxy A, proxy B), both asking the same userhub; stopped after the test, also when
    one of them fails to start."""
    from userhub.extensions import db
    from userhub.sip.models import SipServer

    token = secrets.token_urlsafe(32)
    db.session.add(SipServer(name="kamailio-pair", token_hash=hashlib.sha256(token.encode()).hexdigest()))
    db.session.commit()
    started: list[Lab] = []

    def build(dmq: bool) -> tuple[Lab, Lab]:
        a_dmq = udp_port(2)  # one block, so the two cannot be the same port
        b_dmq = a_dmq + 1
        a, b = Lab(tmp_path / "a", userhub_server.url, token), Lab(tmp_path / "b", userhub_server.url, token)
        started.extend((a, b))
        a.start(defines=_dmq_defines(a_dmq, b_dmq) if dmq else None)
        b.start(defines=_dmq_defines(b_dmq, a_dmq) if dmq else None)
        if dmq:  # each knows the other on the bus before any call
            _wait_for(lambda: f"port: {b_dmq}" in a.rpc("dmq.list_nodes") and f"port: {a_dmq}" in b.rpc("dmq.list_nodes"))
        return a, b

    try:
        yield build
    finally:
        for lab in started:
            lab.stop()


@pytest.mark.parametrize("dmq", [True, False], ids=["dmq", "no-dmq"])
def test_call_waiting_off_counts_a_call_through_the_other_proxy(proxies, jane, with_phones, set_feature, dmq):
    a, b = proxies(dmq)
    sip = with_phones(jane, PASSWORD)
    phone = a.phone("jane", answer_ms=300)
    a.register((sip, PASSWORD, phone))  # the phone is registered with both proxies
    b.register((sip, PASSWORD, phone))
    set_feature(jane, "call-waiting", enabled=False)
    first = a.place(JANE, caller="+33677777777", hold_ms=5000)  # answered through proxy A
    _wait_for(first.answered, 10)
    second = b.call(JANE)  # through proxy B
    calls_on_b = b.rpc("dlg.profile_get_size", "active", sip).strip()
    assert first.end().code == 200
    if dmq:
        assert calls_on_b == "1"  # A's call, in B's profile
        assert second.code == 486  # B knows Jane is on a call through A: the busy treatment
        assert len(phone.invites()) == 1
        # the first call ended on A: B knows that too, and rings her again
        _wait_for(lambda: b.rpc("dlg.profile_get_size", "active", sip).strip() == "0", 5)
        assert b.call(JANE).code == 200
        assert len(phone.invites()) == 2
    else:
        # without DMQ, B knows only its own calls: the second call rings her (the limit WITH_DMQ lifts)
        assert calls_on_b == "0"
        assert second.code == 200
        assert len(phone.invites()) == 2


@pytest.mark.parametrize("dmq", [True, False], ids=["dmq", "no-dmq"])
def test_a_phone_registered_through_one_proxy_rings_for_a_call_through_the_other(proxies, jane, with_phones, dmq):
    a, b = proxies(dmq)
    sip = with_phones(jane, PASSWORD)
    phone = a.phone("jane", answer_ms=100)
    a.register((sip, PASSWORD, phone))  # through proxy A only
    if dmq:
        _wait_for(lambda: sip in b.rpc("ul.dump"), 5)  # the registration, copied to B over the bus
    call = b.call(JANE)  # through proxy B
    if dmq:
        assert call.code == 200
        assert len(phone.invites()) == 1
    else:  # B does not know the phone: Jane is unreachable (the limit WITH_DMQ lifts)
        assert call.code != 200
        assert phone.invites() == []


def test_a_proxy_that_joins_the_bus_late_learns_the_registrations_it_missed(proxies, jane, with_phones):
    a, b = proxies(True)
    sip = with_phones(jane, PASSWORD)
    phone = a.phone("jane", answer_ms=100)
    b.stop_proxy()
    a.register((sip, PASSWORD, phone))  # while B is down: it never sees this registration go by
    b.start_proxy()  # B joins the bus again, and asks the others for their registrations (dmq_usrloc sync)
    _wait_for(lambda: sip in b.rpc("ul.dump"), 15)
    assert b.call(JANE).code == 200
    assert len(phone.invites()) == 1
