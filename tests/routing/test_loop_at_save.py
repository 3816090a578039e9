"""Saving a setting that would send calls round in a circle is refused, with the path in names and
numbers next to the destination, and nothing is stored; any other destination is saved."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import event

from userhub.calling import registry, services
from userhub.calling.criteria import Criterion as Rule
from userhub.extensions import db
from userhub.routing import loop_check
from userhub.routing.loop_check import SaveWouldLoop, check_no_loop

from .builders import MOTHER
from .conftest import post_feature

ALWAYS_TO = {"always_enabled": "y", "no_answer_rings": "3"}


def version(user, key: str) -> int:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return services.load(user, registry.get(key)).states[key].version


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def test_forwarding_back_to_who_forwards_to_me_is_refused_with_the_path(jane, john, set_feature, client_of):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="3201")
    response = post_feature(client_of(john), "call-forwarding", {**ALWAYS_TO, "always_destination": "3200"})
    assert response.status_code == 400
    page = text_of(response)
    assert ("Calls would go round in a circle: John Smith (3201) → forward all calls → Jane Doe (3200)"
            " → forward all calls → John Smith (3201)") in page
    # tied to the field that holds the destination
    assert 'id="always_destination-error"' in page and 'aria-invalid="true"' in page
    assert version(john, "call-forwarding") == 0


def test_forwarding_somewhere_else_is_saved(jane, john, set_feature, client_of):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="3201")
    client = client_of(john)
    assert post_feature(client, "call-forwarding", {**ALWAYS_TO, "always_destination": "06 34 33 32 11"}).status_code == 302
    # to Jane's voicemail: the call stops in her mailbox, it does not come back
    assert post_feature(client, "call-forwarding", {**ALWAYS_TO, "always_destination": "3200",
                                                    "always_to_voicemail": "y"}).status_code == 302
    assert version(john, "call-forwarding") == 2


def test_a_loop_through_ring_features_and_a_selective_rule_names_everyone(jane, john, make_user, organization,
                                                                          set_feature, client_of):
    location = organization.locations[0]
    ann = make_user("ann.lee@example.com", first_name="Ann", last_name="Lee", location=location,
                    phone_number=location.phone_numbers[2], extension="3202")
    set_feature(jane, "sequential-ring", enabled=True,
                numbers=[{"phone_number": MOTHER, "rings": 3}, {"phone_number": "+33184883201", "rings": 3}])
    set_feature(john, "single-number-reach", enabled=True,
                numbers=[{"phone_number": "+33184883202", "name": "Ann", "enabled": True}])
    response = post_feature(client_of(ann), "selective-forward", {
        "enabled": "y", "default_destination": "06 34 33 32 11", "criteria-0-name": "Tous", "criteria-0-rule": "on",
        "criteria-0-calls_from": "any", "criteria-0-schedule": "", "criteria-0-forward_to": "01 84 88 32 00"})
    assert response.status_code == 400
    assert ("Ann Lee (01 84 88 32 02) → selective forward → Jane Doe (01 84 88 32 00) → sequential ring"
            " → John Smith (01 84 88 32 01) → single number reach → Ann Lee (01 84 88 32 02)") in text_of(response)
    assert 'id="criteria-0-forward_to-error"' in text_of(response)
    assert version(ann, "selective-forward") == 0


def test_a_switched_off_feature_makes_no_loop(jane, john, set_feature, client_of):
    set_feature(jane, "simultaneous-ring", enabled=False, numbers=[{"phone_number": "+33184883201"}])
    assert post_feature(client_of(john), "call-forwarding", {**ALWAYS_TO, "always_destination": "3200"}).status_code == 302


def test_the_message_is_in_the_reader_language(jane, john, set_feature, client_of):
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination="+33184883201")
    client = client_of(john)
    client.post("/language", data={"locale": "fr"})
    response = post_feature(client, "call-forwarding", {"busy_enabled": "y", "busy_destination": "3200",
                                                        "no_answer_rings": "3"})
    assert "Les appels tourneraient en boucle : John Smith (01 84 88 32 01)" in text_of(response)


def test_a_long_chain_is_followed_in_a_constant_number_of_queries(make_user, organization, set_feature, app):
    """Twelve people forward to the next one: the last closing the circle is refused; the search runs in
    the database, so the check reads it the same few times whatever the length of the chain."""
    location = organization.locations[0]
    people = [make_user(f"p{i}@example.com", first_name="P", last_name=str(i), location=location,
                        extension=f"41{i:02d}") for i in range(12)]
    for i, person in enumerate(people[:-1]):
        set_feature(person, "call-forwarding", no_answer_enabled=True, no_answer_destination=f"41{i + 1:02d}")
    feature = registry.get("call-forwarding")
    values = feature.Values(always_enabled=True, always_destination="4100")
    count = 0

    def count_it(*_args: object, **_kwargs: object) -> None:
        nonlocal count
        count += 1

    db.session.expire_all()
    last = people[-1]
    event.listen(db.engine, "before_cursor_execute", count_it)
    try:
        with pytest.raises(SaveWouldLoop) as refused:
            check_no_loop(last, feature, values)
    finally:
        event.remove(db.engine, "before_cursor_execute", count_it)
    assert [hop.to_user_id for hop in refused.value.path] == [p.id for p in people]
    # the owner of the destination, one round per person, the names on the path; then the user
    # (expired above) and their location (the numbers of the message are in the reader's format)
    assert count == 1 + 11 + 1 + 2


def test_past_the_rounds_the_database_finishes_the_search(make_user, organization, set_feature, monkeypatch):
    monkeypatch.setattr(loop_check, "MAX_ROUNDS", 3)
    location = organization.locations[0]
    people = [make_user(f"p{i}@example.com", first_name="P", last_name=str(i), location=location,
                        extension=f"41{i:02d}") for i in range(8)]
    for i, person in enumerate(people[:-1]):
        set_feature(person, "simultaneous-ring", enabled=True,
                    numbers=[{"phone_number": f"41{i + 1:02d}"}, {"phone_number": MOTHER}])
    feature = registry.get("sequential-ring")
    closing = feature.Values(enabled=True, numbers=[{"phone_number": "4100", "rings": 3}])
    with pytest.raises(SaveWouldLoop) as refused:
        check_no_loop(people[-1], feature, closing)
    assert [hop.to_user_id for hop in refused.value.path] == [p.id for p in people]
    assert refused.value.message.startswith("Calls would go round in a circle: P 7 (4107) → sequential ring → P 0")
    check_no_loop(people[-1], feature, feature.Values(enabled=True, numbers=[{"phone_number": MOTHER, "rings": 3}]))


def test_no_loop_costs_few_queries(jane, john, set_feature):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination=MOTHER)
    feature = registry.get("call-forwarding")
    count = 0

    def count_it(*_args: object, **_kwargs: object) -> None:
        nonlocal count
        count += 1

    assert john.organization_id  # loaded again after the commit, before counting
    event.listen(db.engine, "before_cursor_execute", count_it)
    try:
        check_no_loop(john, feature, feature.Values(always_enabled=True, always_destination="3200"))
    finally:
        event.remove(db.engine, "before_cursor_execute", count_it)
    assert count == 2  # who has 3200, then Jane's destinations (an outside number: the search ends)


def test_the_service_refuses_too_and_stores_nothing(jane, john, set_feature):
    set_feature(jane, "selective-forward", [Rule("Tous", forward_to="3201")], enabled=True,
                default_destination=MOTHER)
    feature = registry.get("simultaneous-ring")
    values = feature.Values(enabled=True, numbers=[{"phone_number": "+33184883200", "answer_confirmation": False}])
    with pytest.raises(SaveWouldLoop):
        services.save(john, feature, values, [], 0, actor=john)
    assert version(john, "simultaneous-ring") == 0
    assert services.history(john) == []
