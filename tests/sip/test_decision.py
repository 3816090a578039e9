"""The call decision endpoint: who may ask, what it answers, and that it answers what the panel says."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta, timezone

import pytest

from userhub.calling.saved_criteria import Criterion as SavedCriterion


def test_only_a_sip_server_credential_opens_it(client, sip_token, jane, john, with_phones, client_of):
    with_phones(jane)
    assert client.get("/sip/decision?to=%2B33184883200").status_code == 401
    assert client.get("/sip/decision?to=%2B33184883200", headers={"Authorization": "Bearer wrong"}).status_code == 401
    # a person signed in to the web pages gets nothing either
    assert client_of(john).get("/sip/decision?to=%2B33184883200").status_code == 401
    ok = client.get("/sip/decision?to=%2B33184883200", headers={"Authorization": f"Bearer {sip_token}"})
    assert ok.status_code == 200 and ok.get_json()["action"] == "ring"
    assert b"\n" not in ok.get_data()  # one line: the proxy's HTTP client reads the first line only


def test_rotating_the_credential_stops_the_old_one(app, client, sip_token, jane, with_phones):
    from userhub.sip.services import rotate_server

    with_phones(jane)
    new = rotate_server("proxy-1")
    headers = {"Authorization": f"Bearer {sip_token}"}
    assert client.get("/sip/decision?to=%2B33184883200", headers=headers).status_code == 401
    assert client.get("/sip/decision?to=%2B33184883200", headers={"Authorization": f"Bearer {new}"}).status_code == 200


def test_a_credential_is_looked_up_once_per_process_for_a_few_seconds(app, client, sip_token, jane, with_phones,
                                                                       monkeypatch):
    from sqlalchemy import delete, event

    from userhub.extensions import db
    from userhub.sip import services
    from userhub.sip.models import SipServer

    with_phones(jane)
    lookups = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if statement.startswith("SELECT") and "FROM sip_servers" in statement:
            lookups.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        headers = {"Authorization": f"Bearer {sip_token}"}
        for _ in range(3):
            assert client.get("/sip/decision?to=%2B33184883200", headers=headers).status_code == 200
        assert len(lookups) == 1
        # another process removes the server: this one keeps it for SERVER_CACHE_SECONDS at most
        db.session.execute(delete(SipServer))
        db.session.commit()
        assert client.get("/sip/decision?to=%2B33184883200", headers=headers).status_code == 200
        later = services.monotonic() + services.SERVER_CACHE_SECONDS + 1
        monkeypatch.setattr(services, "monotonic", lambda: later)
        assert client.get("/sip/decision?to=%2B33184883200", headers=headers).status_code == 401
        assert len(lookups) == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_only_the_hash_of_the_credential_is_stored(app, sip_token):
    from userhub.extensions import db
    from userhub.sip.models import SipServer

    stored = db.session.query(SipServer).one()
    assert stored.token_hash == hashlib.sha256(sip_token.encode()).hexdigest()
    assert sip_token not in (stored.token_hash, stored.name)


@pytest.mark.parametrize("query, field", [
    ({}, "to"),
    ({"to": "x", "internal": "yes"}, "internal"),
    ({"to": "x", "at": "20:00"}, "at"),
    ({"to": "x", "at": "2026-12-05T20:00:00"}, "at"),  # no offset: whose 20:00?
    ({"to": "x", "diversions": "-1"}, "diversions"),
])
def test_bad_questions_get_a_clear_400(client, sip_token, query, field):
    response = client.get("/sip/decision", query_string=query, headers={"Authorization": f"Bearer {sip_token}"})
    assert response.status_code == 400
    assert field in response.get_json()["error"]


@pytest.mark.parametrize("route", ["/sip/decision", "/sip/outgoing"])
@pytest.mark.parametrize("at", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_a_call_time_no_clock_can_show_gets_a_clear_400(client, sip_token, route, at):
    response = client.get(route, query_string={"to": "x", "from": "jane", "at": at},
                          headers={"Authorization": f"Bearer {sip_token}"})
    assert response.status_code == 400
    assert "at" in response.get_json()["error"]


def test_unknown_called_user_is_not_found(decide, jane):
    assert decide(to="+33184883200") == {"action": "reject", "code": 404, "reason": "Not Found"}  # no SIP account
    assert decide(to="nobody.1") == {"action": "reject", "code": 404, "reason": "Not Found"}


def test_plain_call_rings_own_phones_then_voicemail(decide, jane, with_phones):
    sip = with_phones(jane)
    plan = decide(to="+33184883200", **{"from": "+33612345678"})
    # voicemail's defaults: unanswered calls (after 3 rings of 6 s) go to the mailbox; busy ones hear busy
    busy = {"action": "reject", "code": 486, "reason": "Busy Here"}
    assert plan == {"action": "ring", "user": sip, "alert": "", "legs": [{"targets": [f"L:{sip}"], "seconds": 18}],
                    "then": {"action": "forward", "target": f"V:{sip}", "diversion": "no-answer"},
                    "busy": busy, "unreachable": busy}
    assert decide(to=sip) == plan  # by SIP user name too


def test_saved_voicemail_settings_are_read_with_the_person_called(app, client, sip_token, jane, with_phones):
    from sqlalchemy import event

    from userhub.extensions import db
    from userhub.voicemail.models import VoicemailSettings

    sip = with_phones(jane)
    db.session.add(VoicemailSettings(user_id=jane.id, unanswered_rings=5))
    db.session.commit()
    statements = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        plan = client.get("/sip/decision?to=%2B33184883200", headers={"Authorization": f"Bearer {sip_token}"}).get_json()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert plan["legs"] == [{"targets": [f"L:{sip}"], "seconds": 30}]  # 5 rings of 6 s: the saved settings
    assert not [s for s in statements if "FROM voicemail_settings" in s]
    assert [s for s in statements if "JOIN voicemail_settings" in s]


def test_do_not_disturb_is_busy(decide, jane, with_phones, set_feature):
    with_phones(jane)
    set_feature(jane, "do-not-disturb", enabled=True)
    assert decide(to="+33184883200") == {"action": "reject", "code": 486, "reason": "Busy Here"}


def test_anonymous_rejection_is_433(decide, jane, with_phones, set_feature):
    with_phones(jane)
    set_feature(jane, "anonymous-call-rejection", enabled=True)
    assert decide(to="+33184883200", from_="anonymous")["code"] == 433
    assert decide(to="+33184883200", from_="+33612345678")["action"] == "ring"


def test_forwards_name_the_next_person_or_the_gateway(decide, jane, john, with_phones, set_feature):
    with_phones(jane)
    john_sip = with_phones(john)
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="3201")
    assert decide(to="+33184883200") == {"action": "forward", "target": f"U:{john_sip}", "diversion": "unconditional"}
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="+33612345678")
    assert decide(to="+33184883200")["target"] == "G:+33612345678"


def test_busy_no_answer_and_unreachable_handling(decide, jane, with_phones, set_feature):
    sip = with_phones(jane)
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination="+33611111111",
                no_answer_enabled=True, no_answer_destination="+33622222222", no_answer_rings=2,
                business_continuity_enabled=True, business_continuity_destination="+33633333333")
    plan = decide(to="+33184883200")
    assert plan["legs"] == [{"targets": [f"L:{sip}"], "seconds": 12}]  # 2 rings of 6 s
    assert plan["then"] == {"action": "forward", "target": "G:+33622222222", "diversion": "no-answer"}
    assert plan["busy"] == {"action": "forward", "target": "G:+33611111111", "diversion": "user-busy"}
    assert plan["unreachable"] == {"action": "forward", "target": "G:+33633333333", "diversion": "unavailable"}
    # the proxy found no registered phone: business continuity at once
    assert decide(to="+33184883200", reachable="0") == plan["unreachable"]


def evenings(owner):  # type: ignore[no-untyped-def]
    """The "Soirées" schedule: every day from 19:00 to 23:00 (Paris)."""
    from userhub.schedules.services import EventInput, create_schedule

    return create_schedule(owner, "Soirées", "business_hours", [EventInput(
        "Soir", date(2026, 1, 5), date(2026, 1, 5), start_time=time(19), end_time=time(23), recurrence="daily")])


def evening_rule(schedule) -> SavedCriterion:  # type: ignore[no-untyped-def]
    return SavedCriterion(name="Le soir", schedule_id=schedule.id, schedule_level="personal",
                          schedule_type=schedule.type)


def test_schedule_decides_by_the_time_given(decide, jane, with_phones, set_feature):
    sip = with_phones(jane)
    set_feature(jane, "selective-reject", criteria=[evening_rule(evenings(jane))], enabled=True)
    paris = timezone(timedelta(hours=1))
    at_20 = datetime(2026, 12, 7, 20, 0, tzinfo=paris).isoformat()
    at_10 = datetime(2026, 12, 7, 10, 0, tzinfo=paris).isoformat()
    assert decide(to=sip, at=at_20) == {"action": "reject", "code": 603, "reason": "Decline"}
    assert decide(to=sip, at=at_10)["action"] == "ring"


def test_credentials_give_the_ha1_to_sip_servers_only(client, sip_token, jane, with_phones):
    sip = with_phones(jane, "correct-horse-battery")
    url = f"/sip/credentials?user={sip}&realm=userhub.local"
    assert client.get(url).status_code == 401
    answer = client.get(url, headers={"Authorization": f"Bearer {sip_token}"})
    expected = hashlib.md5(f"{sip}:userhub.local:correct-horse-battery".encode()).hexdigest()
    assert answer.status_code == 200 and answer.get_json() == {"ha1": expected}
    other_realm = client.get(f"/sip/credentials?user={sip}&realm=other", headers={"Authorization": f"Bearer {sip_token}"})
    assert other_realm.status_code == 404


@pytest.mark.parametrize("with_schedule", [False, True])
def test_a_decision_reads_the_person_and_their_settings_in_few_statements_outside_a_transaction(
        app, client, sip_token, jane, with_phones, set_feature, with_schedule):
    """The person (SIP account, location, voicemail) in one statement, their settings with rules, feature
    access and executive relations in one more, their schedules in one more when rules have some; all
    in autocommit, so no BEGIN and no ROLLBACK round trips either."""
    from sqlalchemy import event

    from userhub.calling.access import set_organization_defaults
    from userhub.extensions import db

    sip = with_phones(jane)
    set_organization_defaults(jane.organization, {"callWaiting": True})
    rules = [evening_rule(evenings(jane))] if with_schedule else [
        SavedCriterion(name="Liste", calls_from="select", phone_numbers=["+33699999999"])]
    set_feature(jane, "selective-reject", criteria=rules, enabled=True)
    headers = {"Authorization": f"Bearer {sip_token}"}
    assert client.get(f"/sip/decision?to={sip}", headers=headers).status_code == 200  # credential now cached
    statements = []

    def count(conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append((statement, conn.get_execution_options().get("isolation_level")))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        at = datetime(2026, 12, 7, 20, 0, tzinfo=timezone(timedelta(hours=1))).isoformat()
        plan = client.get("/sip/decision", query_string={"to": sip, "from": "+33699999999", "at": at},
                          headers=headers).get_json()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert plan == {"action": "reject", "code": 603, "reason": "Decline"}
    assert len(statements) == (3 if with_schedule else 2), [s for s, _level in statements]
    assert {level for _statement, level in statements} == {"AUTOCOMMIT"}


def test_each_sip_server_has_its_own_question_budget_wherever_it_asks_from(app, client, sip_token, jane,
                                                                           with_phones):
    from userhub.extensions import db
    from userhub.sip.services import add_server

    with_phones(jane)
    other = add_server("proxy-2")[1]
    db.session.commit()
    app.config["USERHUB_SIP_DECISION_LIMIT"] = "3 per minute"
    url = "/sip/decision?to=%2B33184883200"

    def ask(token: str, address: str) -> int:
        return client.get(url, headers={"Authorization": f"Bearer {token}"},
                          environ_base={"REMOTE_ADDR": address}).status_code

    # proxy-1 from two addresses (behind a NAT that moves, or two of its own): one budget of 3
    assert [ask(sip_token, "10.0.0.1"), ask(sip_token, "10.0.0.2"), ask(sip_token, "10.0.0.1")] == [200] * 3
    assert ask(sip_token, "10.0.0.2") == 429
    # proxy-2 from proxy-1's address: its own budget, untouched by proxy-1's questions
    assert [ask(other, "10.0.0.1") for _ in range(3)] == [200] * 3
    assert ask(other, "10.0.0.1") == 429
    # the phones' credentials have a budget of their own: registrations never use up the calls' budget
    def credentials(token: str) -> int:
        return client.get("/sip/credentials?user=x&realm=y", headers={"Authorization": f"Bearer {token}"},
                          environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code

    assert [credentials(other) for _ in range(3)] == [404] * 3  # no such SIP user: asked and answered
    assert credentials(other) == 429
    assert ask(sip_token, "10.0.0.3") == 429 and ask(other, "10.0.0.3") == 429  # still the calls' budget


def test_a_sip_answer_carries_no_browser_headers_but_nosniff_and_no_store(client, sip_token, jane, with_phones):
    """A proxy reads the JSON line: Talisman's browser headers (CSP, frames, referrer, permissions) are not
    built for it; nosniff and no-store stay. A page of the same blueprint, and a refused question, keep them."""
    with_phones(jane)
    answer = client.get("/sip/decision?to=%2B33184883200", headers={"Authorization": f"Bearer {sip_token}"})
    assert answer.status_code == 200
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" not in answer.headers and "X-Frame-Options" not in answer.headers
    refused = client.get("/sip/decision?to=%2B33184883200")  # no credential: still a SIP question
    assert refused.status_code == 401 and refused.headers["X-Content-Type-Options"] == "nosniff"
    page = client.get("/sign-in")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_a_question_counts_once_in_the_limit_storage_without_flask_limiters_passes(app, client, sip_token, jane,
                                                                                   with_phones, monkeypatch):
    """A proxy asks for every call: its limit is one hit on the limiter's storage, under the key Flask-Limiter's
    shared limit used (the same counters after an upgrade, Redis in production), without Flask-Limiter's own
    passes over the request (resolving the route's limits before the request and in a decorator)."""
    from limits import parse

    from userhub.extensions import limiter

    with_phones(jane)
    limiter.storage.reset()
    resolved = []
    original = limiter.limit_manager.resolve_limits
    monkeypatch.setattr(limiter.limit_manager, "resolve_limits",
                        lambda app, endpoint, *rest: resolved.append(endpoint) or original(app, endpoint, *rest))
    headers = {"Authorization": f"Bearer {sip_token}"}
    for _ in range(2):
        assert client.get("/sip/decision?to=%2B33184883200", headers=headers).status_code == 200
    assert client.get("/sip/credentials?user=x&realm=y", headers=headers).status_code == 404
    assert not [endpoint for endpoint in resolved if endpoint.startswith("sip.")]
    storage = limiter.limiter.storage  # the strategy's storage: what Flask-Limiter's shared limit counted in
    limit = parse(app.config["USERHUB_SIP_DECISION_LIMIT"])
    assert storage.get(limit.key_for("sip-server:proxy-1", "sip-questions")) == 2
    assert storage.get(limit.key_for("sip-server:proxy-1", "sip-credentials")) == 1
    # a web page still goes through Flask-Limiter
    client.get("/sign-in")
    assert resolved


def _rich_settings(jane, john, set_feature):  # type: ignore[no-untyped-def]
    """Jane's settings touch every part of the reader: personal and location schedules (events, an
    exception day), rules by caller and by schedule, forwarding to a colleague's extension, an executive
    with an assistant, saved voicemail settings."""
    from userhub.extensions import db
    from userhub.schedules.services import EventInput, create_schedule
    from userhub.voicemail.models import VoicemailSettings

    evenings = create_schedule(jane, "Soirées", "business_hours", [
        EventInput("Soir", date(2026, 1, 5), date(2026, 1, 5), start_time=time(19), end_time=time(23),
                   recurrence="daily", exdates=(date(2026, 12, 9),)),
        EventInput("Week-end", date(2026, 1, 10), date(2026, 1, 11), all_day=True, recurrence="weekly",
                   weekdays=("SA", "SU"))])
    closed = create_schedule(jane.location, "Fermeture", "holidays", [
        EventInput("Noël", date(2026, 12, 25), date(2026, 12, 25), all_day=True)])
    db.session.add(VoicemailSettings(user_id=jane.id, unanswered_rings=4, send_busy_calls=True))
    db.session.commit()

    def during(schedule, level):  # type: ignore[no-untyped-def]
        return {"schedule_id": schedule.id, "schedule_level": level, "schedule_type": schedule.type}

    set_feature(jane, "selective-reject", enabled=True, criteria=[
        SavedCriterion(name="Démarcheur", calls_from="select", phone_numbers=["+33699999999"]),
        SavedCriterion(name="Anonymes le soir", calls_from="select", anonymous_callers=True,
                       **during(evenings, "personal"))])
    set_feature(jane, "selective-forward", enabled=True, default_destination="3201", criteria=[
        SavedCriterion(name="Fermé", **during(closed, "location"))])
    set_feature(jane, "priority-alert", enabled=True, criteria=[
        SavedCriterion(name="Patron", calls_from="select", phone_numbers=["+33655555555"])])
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination="3201", no_answer_enabled=True,
                no_answer_destination="+33622222222", no_answer_rings=2)
    set_feature(jane, "sequential-ring", enabled=True, ring_own_devices_first=True, own_devices_rings=2,
                numbers=[{"phone_number": "+33644444444", "answer_confirmation": False, "rings": 3}],
                criteria=[SavedCriterion(name="Soir", **during(evenings, "personal"))])
    set_feature(jane, "executive", enabled=True, assistants=[john.id], filtering_enabled=True,
                filter_type="external", alerting_mode="sequential")


def test_the_panel_and_the_decision_read_the_same_settings_on_rich_data(app, client, sip_token, jane, john,
                                                                        with_phones, set_feature, monkeypatch):
    """The decision reads the person as plain columns, the panel has the User: both go through
    ``routing_settings_for``, and what each gets routes every call the same way, whatever the time
    (schedules, their exception day, the location's holiday), the caller and the line's state."""
    from userhub.accounts.models import User
    from userhub.extensions import db
    from userhub.routing.evaluate import evaluate
    from userhub.routing.inputs import ANONYMOUS, SOME_NUMBER, UNAVAILABLE, IncomingCall
    from userhub.routing.mapper import routing_settings_for
    from userhub.sip import services

    sip = with_phones(jane)
    with_phones(john)
    _rich_settings(jane, john, set_feature)
    read_by_decision = []
    real = services.routing_settings_for

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        read_by_decision.append(real(*args, **kwargs))
        return read_by_decision[-1]

    monkeypatch.setattr(services, "routing_settings_for", spy)
    plan = client.get("/sip/decision", query_string={"to": sip},
                      headers={"Authorization": f"Bearer {sip_token}"}).get_json()
    assert plan["action"] in ("ring", "forward", "reject")
    db.session.expire_all()
    panel = routing_settings_for(db.session.get(User, jane.id))  # as the overview reads it
    decision = read_by_decision[0]
    assert panel.user_name == decision.user_name
    assert panel.voicemail == decision.voicemail and decision.voicemail.rings == 4

    paris = timezone(timedelta(hours=1))
    start = datetime(2026, 12, 7, 0, 30, tzinfo=paris)
    routes = set()
    for hour in range(0, 24 * 20, 5):  # 20 days, every 5 hours: evenings, the exception day, week-ends, Christmas
        at = start + timedelta(hours=hour)
        for caller in ("+33699999999", "+33655555555", "+33612345678", ANONYMOUS, UNAVAILABLE, SOME_NUMBER):
            for internal, on_call, reachable in ((False, False, True), (True, False, True), (False, True, True),
                                                 (False, False, False)):
                call = IncomingCall(at=at, caller=caller, internal=internal, on_call=on_call, reachable=reachable)
                expected = evaluate(panel, call)
                assert evaluate(decision, call) == expected, (at, caller, internal, on_call, reachable)
                routes.add(expected)
    assert len(routes) >= 8  # the data is rich enough that reading it wrong would show


def test_a_decision_builds_no_orm_object(app, client, sip_token, jane, john, with_phones, set_feature):
    """Every row a decision needs is read as plain columns: no ORM instance is loaded (the identity map,
    instance state and relationship loading cost more than the evaluator itself)."""
    from sqlalchemy import event

    from userhub.accounts.models import User
    from userhub.extensions import Model, db

    sip = with_phones(jane)
    john_sip = with_phones(john)
    _rich_settings(jane, john, set_feature)
    jane_id = jane.id
    headers = {"Authorization": f"Bearer {sip_token}"}
    assert client.get("/sip/decision", query_string={"to": sip}, headers=headers).status_code == 200  # credential
    loaded = []

    def on_load(target, _context):  # type: ignore[no-untyped-def]
        loaded.append(type(target).__name__)

    event.listen(Model, "load", on_load, propagate=True)
    try:
        for query in ({"to": sip}, {"to": "3200", "from": john_sip, "internal": "1"},
                      {"to": "+33184883200", "from": "anonymous"}):
            assert client.get("/sip/decision", query_string=query, headers=headers).status_code == 200
        decisions = list(loaded)
        db.session.expunge_all()
        db.session.get(User, jane_id)  # the listener does see an ORM read
    finally:
        event.remove(Model, "load", on_load)
    assert decisions == []
    assert loaded == ["User"]
