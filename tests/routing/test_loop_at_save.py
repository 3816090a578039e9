"""Saving a setting that would send calls round in a circle is refused, with the path in names and
numbers next to the destination, and nothing is stored; any other destination is saved."""

from __future__ import annotations

import re

import html
import threading

import pytest
from sqlalchemy import event, func, select

from userhub.calling import registry, services
from userhub.calling.saved_criteria import Criterion as Rule
from userhub.accounts.models import User
from userhub.extensions import db
from userhub.routing import loop_check
from userhub.routing.loop_check import SaveWouldLoop, check_no_loop, save_edges
from userhub.routing.models import CallingEdge

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
    # tied to the field that holds the destination, and said twice only: in the summary and at the field
    assert 'id="always_destination-error"' in page and 'aria-invalid="true"' in page
    assert page.count("Calls would go round in a circle") == 2
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
    ann_client = client_of(ann)
    assert post_feature(ann_client, "selective-forward", {
        "enabled": "y", "default_destination": "06 34 33 32 11"}).status_code == 302
    # The rule is added on its own page, which names the loop at its "forward to" field.
    html = ann_client.get("/settings/calling/selective-forward/rules/new").get_data(as_text=True)
    rule_version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', html)
    assert rule_version
    response = ann_client.post("/settings/calling/selective-forward/rules/new", data={
        "version": rule_version.group(1), "name": "Tous", "rule": "on", "calls_from": "any", "schedule": "",
        "forward_to": "01 84 88 32 00"})
    assert response.status_code == 400
    assert ("Ann Lee (01 84 88 32 02) → selective forward → Jane Doe (01 84 88 32 00) → sequential ring"
            " → John Smith (01 84 88 32 01) → single number reach → Ann Lee (01 84 88 32 02)") in text_of(response)
    assert 'id="forward_to-error"' in text_of(response)
    assert version(ann, "selective-forward") == 1  # the feature's own save only: no rule


def test_a_switched_off_feature_makes_no_loop(jane, john, set_feature, client_of):
    set_feature(jane, "simultaneous-ring", enabled=False, numbers=[{"phone_number": "+33184883201"}])
    assert post_feature(client_of(john), "call-forwarding", {**ALWAYS_TO, "always_destination": "3200"}).status_code == 302


def test_the_message_is_in_the_reader_language(jane, john, set_feature, client_of):
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination="+33184883201")
    client = client_of(john)
    client.post("/language", data={"locale": "fr"})
    response = post_feature(client, "call-forwarding", {"busy_enabled": "y", "busy_destination": "3200",
                                                        "no_answer_rings": "3"})
    assert "Les appels tourneraient en boucle\u00a0: John Smith (01 84 88 32 01)" in text_of(response)


@pytest.mark.parametrize("length", [12, 30])
def test_a_long_chain_costs_the_same_queries_whatever_its_length(make_user, organization, set_feature, app,
                                                                  length, monkeypatch):
    """People forward to the next one: the last closing the circle is refused; each breadth-first round
    is one query of the edge table, whatever the number of people it reaches, and past MAX_ROUNDS one
    query reads who leads to whom and one the edges of the way found: the count does not grow with the chain."""
    monkeypatch.setattr(loop_check, "MAX_ROUNDS", 8)  # rounds before the whole graph, fewer for a short test
    location = organization.locations[0]
    people = [make_user(f"p{i}@example.com", first_name="P", last_name=str(i), location=location,
                        extension=f"41{i:02d}") for i in range(length)]
    for i, person in enumerate(people[:-1]):
        set_feature(person, "call-forwarding", no_answer_enabled=True, no_answer_destination=f"41{i + 1:02d}")
    feature = registry.get("call-forwarding")
    values = feature.Values(always_enabled=True, always_destination="4100")
    count = 0

    def count_it(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        nonlocal count
        count += "pg_advisory_xact_lock" not in statement  # taking turns (PostgreSQL) reads nothing

    db.session.expire_all()
    last = people[-1]
    event.listen(db.engine, "before_cursor_execute", count_it)
    try:
        with pytest.raises(SaveWouldLoop) as refused:
            check_no_loop(last, feature, values)
    finally:
        event.remove(db.engine, "before_cursor_execute", count_it)
    assert [hop.to_user_id for hop in refused.value.path] == [p.id for p in people]
    # the owner of the destination, MAX_ROUNDS rounds, who leads to whom in the organization, the edges of
    # the way found, the names on the path; then the user (expired above) and their location (the numbers
    # of the message are in the reader's format)
    assert count == 1 + 8 + 1 + 1 + 1 + 2


def test_a_search_that_meets_nobody_early_spends_at_most_six_rounds(make_user, organization, set_feature):
    """Issue 16: the worst case is the rounds spent before the whole graph is read plus that read, and a
    round costs 1.5 to 2 ms of work on PostgreSQL: past 6 rounds (not 12) the whole graph is read. A chain
    of 30 (both sides grow by one person a round: they meet after 15 rounds) costs the owner of the
    destination, 6 rounds, the whole graph, the edges of the way found, the names, the user (expired) and
    their location."""
    location = organization.locations[0]
    people = [make_user(f"p{i}@example.com", first_name="P", last_name=str(i), location=location,
                        extension=f"41{i:02d}") for i in range(30)]
    for i, person in enumerate(people[:-1]):
        set_feature(person, "call-forwarding", no_answer_enabled=True, no_answer_destination=f"41{i + 1:02d}")
    feature = registry.get("call-forwarding")
    values = feature.Values(always_enabled=True, always_destination="4100")
    statements: list[str] = []

    def keep(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "pg_advisory_xact_lock" not in statement:  # taking turns (PostgreSQL) reads nothing
            statements.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        with pytest.raises(SaveWouldLoop) as refused:
            check_no_loop(people[-1], feature, values)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert [hop.to_user_id for hop in refused.value.path] == [p.id for p in people]
    whole_graph = next(i for i, statement in enumerate(statements) if "group_concat(" in statement
                       or "string_agg(" in statement)
    assert whole_graph == 1 + 1 + 6  # the saver (expired above), the destination's owner, 6 rounds
    assert len(statements) == 1 + 6 + 1 + 1 + 1 + 2


def test_past_the_rounds_the_whole_graph_is_read_once(make_user, organization, set_feature, monkeypatch):
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
    # no loop past the rounds: 3 → 4 → 5 → 6 → 7, who forwards nowhere
    forwarding = registry.get("call-forwarding")
    check_no_loop(people[3], forwarding, forwarding.Values(always_enabled=True, always_destination="4104"))


def test_no_loop_costs_few_queries(jane, john, set_feature):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination=MOTHER)
    feature = registry.get("call-forwarding")
    count = 0

    def count_it(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        nonlocal count
        count += "pg_advisory_xact_lock" not in statement  # taking turns (PostgreSQL) reads nothing

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


def test_two_people_forwarding_to_each_other_at_the_same_moment_cannot_both_pass(app, backend, jane, john):
    """Jane's save has passed its check and written its edges, not yet committed; John's save of the
    way back waits for it, then sees her edge and is refused."""
    if backend != "postgresql":
        pytest.skip("SQLite, which production refuses, has no lock for this")
    feature = registry.get("call-forwarding")
    waited, outcome = _race(app, feature, jane, feature.Values(always_enabled=True, always_destination="3201"),
                            john, feature.Values(always_enabled=True, always_destination="3200"),
                            refused=lambda _error: "refused")
    assert waited, "John's check did not wait for Jane's save to commit"
    assert outcome == {"john": "refused"}
    assert edges(john) == set()



def test_a_pending_save_found_by_the_search_backwards_is_waited_for(app, backend, jane, john, make_user, organization,
                                                                     set_feature):
    """John -> Ann -> Jane is committed up to Jane; Jane's save of Jane -> John has passed its check and
    written its edge, not yet committed. John's save of John -> Ann waits for it, then meets Jane's edge
    in his search backwards (who leads to John) and is refused."""
    if backend != "postgresql":
        pytest.skip("SQLite, which production refuses, has no lock for this")
    location = organization.locations[0]
    ann = make_user("ann.lee@example.com", first_name="Ann", last_name="Lee", location=location,
                    phone_number=location.phone_numbers[2], extension="3202")
    set_feature(ann, "call-forwarding", always_enabled=True, always_destination="3200")
    feature = registry.get("call-forwarding")
    waited, outcome = _race(app, feature, jane, feature.Values(busy_enabled=True, busy_destination="+33184883201"),
                            john, feature.Values(always_enabled=True, always_destination="3202"),
                            refused=lambda error: [hop.to_user_id for hop in error.path])
    assert waited, "John's check did not wait for Jane's save to commit"
    assert outcome == {"john": [ann.id, jane.id, john.id]}
    assert edges(john) == set()


def _race(app, feature, jane, jane_values, john, john_values, refused):  # type: ignore[no-untyped-def]
    """Jane's save passes its check and writes its edges, uncommitted; John's save starts then. Returns
    whether John's waited for Jane's commit, and his outcome ("saved", or ``refused(error)``)."""
    checked, commit, outcome = threading.Event(), threading.Event(), {}

    def jane_saves() -> None:
        with app.app_context():
            me = db.session.get(User, jane.id)
            check_no_loop(me, feature, jane_values)
            save_edges(me, feature, jane_values, [])
            checked.set()
            commit.wait(10)
            db.session.commit()

    def john_saves() -> None:
        with app.app_context():
            me = db.session.get(User, john.id)
            try:
                services.save(me, feature, john_values, [], 0, me)
                outcome["john"] = "saved"
            except SaveWouldLoop as error:
                outcome["john"] = refused(error)

    first = threading.Thread(target=jane_saves)
    first.start()
    assert checked.wait(10)
    second = threading.Thread(target=john_saves)
    second.start()
    second.join(0.5)
    waited = second.is_alive()
    commit.set()
    first.join(10)
    second.join(10)
    return waited, outcome


# --- the edge table the check follows (calling_edges), kept by the save service ----------------------


def edges(user) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    rows = db.session.execute(select(CallingEdge.feature, CallingEdge.target, CallingEdge.organization_id)
                              .where(CallingEdge.user_id == user.id))
    return {(feature, target) for feature, target, organization_id in rows if organization_id == user.organization_id}


def test_each_forwarding_feature_saves_its_edges_and_voicemail_or_switched_off_make_none(jane, john, set_feature):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="3201",
                busy_enabled=True, busy_destination="3201", busy_to_voicemail=True,
                no_answer_enabled=True, no_answer_destination="+33184883201",
                business_continuity_enabled=False, business_continuity_destination=MOTHER)
    set_feature(jane, "selective-forward", [Rule("Tous", forward_to="3201"), Rule("Sans numéro"),
                                            Rule("Jamais", enabled=False, forward_to=MOTHER)],
                enabled=True, default_destination="+33184883201")
    set_feature(jane, "simultaneous-ring", enabled=True, numbers=[{"phone_number": "3201"}])
    set_feature(jane, "sequential-ring", enabled=False, numbers=[{"phone_number": MOTHER, "rings": 3}])
    set_feature(jane, "single-number-reach", enabled=True,
                numbers=[{"phone_number": MOTHER, "enabled": True}, {"phone_number": "+33634333212", "enabled": False}])
    set_feature(jane, "executive", enabled=True, filtering_enabled=True, rollover_enabled=True,
                rollover_action="forward", rollover_forward_to="3201", assistants=[john.id])
    set_feature(jane, "do-not-disturb", enabled=True)
    assert edges(jane) == {("forward_always", "3201"), ("forward_no_answer", "+33184883201"),
                           ("selective_forward", "+33184883201"), ("selective_forward", "3201"),
                           ("simultaneous_ring", "3201"), ("single_number_reach", MOTHER),
                           ("executive_filtering", "3201")}  # the assistant is no edge (MAPPING.md "Limits")
    # the default number to voicemail: the rule's number stays an edge
    set_feature(jane, "selective-forward", [Rule("Tous", forward_to="3201")], to_voicemail=True)
    assert ("selective_forward", "+33184883201") not in edges(jane) and ("selective_forward", "3201") in edges(jane)
    set_feature(jane, "selective-forward", [Rule("Tous", forward_to="3201")], enabled=False)
    assert not {edge for edge in edges(jane) if edge[0] == "selective_forward"}


def test_saving_a_feature_replaces_its_edges_only(jane, john, set_feature):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="3201")
    set_feature(jane, "simultaneous-ring", enabled=True, numbers=[{"phone_number": MOTHER}])
    set_feature(jane, "call-forwarding", always_enabled=False, busy_enabled=True, busy_destination=MOTHER)
    assert edges(jane) == {("forward_busy", MOTHER), ("simultaneous_ring", MOTHER)}
    set_feature(jane, "simultaneous-ring", enabled=False)
    assert edges(jane) == {("forward_busy", MOTHER)}
    assert edges(john) == set()


def test_a_refused_or_stale_save_leaves_the_edges_as_they_were(jane, john, set_feature):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="3201")
    set_feature(john, "call-forwarding", always_enabled=True, always_destination=MOTHER)
    feature = registry.get("call-forwarding")
    with pytest.raises(SaveWouldLoop):
        services.save(john, feature, feature.Values(always_enabled=True, always_destination="3200"), [], 1, actor=john)
    with pytest.raises(services.StaleVersion):
        services.save(john, feature, feature.Values(busy_enabled=True, busy_destination="3209"), [], 0, actor=john)
    assert edges(john) == {("forward_always", MOTHER)}


def test_a_deleted_persons_edges_go_with_them(jane, john, admin, set_feature):
    from userhub.admin.deletion import delete_user

    set_feature(john, "sequential-ring", enabled=True, numbers=[{"phone_number": "3200", "rings": 3}])
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination=MOTHER)
    john_id = john.id
    delete_user(john, admin)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(CallingEdge)
                             .where(CallingEdge.user_id == john_id)) == 0  # the database's cascade
    assert edges(jane) == {("forward_always", MOTHER)}


def test_the_owner_of_a_destination_is_who_has_it_now(jane, john, make_user, organization, set_feature):
    """Edges keep the number as saved: when it goes to someone else, the check follows the new owner."""
    from userhub.accounts.provisioning import assign_number, release_number

    location = organization.locations[0]
    ann = make_user("ann.lee@example.com", first_name="Ann", last_name="Lee", location=location,
                    phone_number=location.phone_numbers[2], extension="3202")
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="+33184883202")  # Ann's number
    feature = registry.get("call-forwarding")
    back_to_jane = feature.Values(always_enabled=True, always_destination="3200")
    check_no_loop(john, feature, back_to_jane)  # Jane's calls go to Ann, not to John
    release_number(ann)
    release_number(john)  # one number each
    assign_number(john, location.phone_numbers[2])
    db.session.commit()
    db.session.expire_all()
    with pytest.raises(SaveWouldLoop) as refused:
        check_no_loop(john, feature, back_to_jane)
    assert [(hop.target, hop.to_user_id) for hop in refused.value.path] == [("3200", jane.id),
                                                                           ("+33184883202", john.id)]
    # an extension that changes hands is followed the same way
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="3202")
    check_no_loop(john, feature, back_to_jane)  # 3202 is Ann's
    ann.extension = None
    db.session.flush()
    john.extension = "3202"
    db.session.commit()
    with pytest.raises(SaveWouldLoop):
        check_no_loop(john, feature, back_to_jane)


def test_a_person_created_with_a_forwarded_to_extension_closes_the_loop(jane, make_user, organization, set_feature):
    """Jane forwards to 3205, which nobody has: once Bob is created with it, Bob forwarding to Jane loops."""
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="3205")
    feature = registry.get("call-forwarding")
    to_jane = feature.Values(always_enabled=True, always_destination="3200")
    ann = make_user("ann.lee@example.com", first_name="Ann", last_name="Lee", extension="3206")
    check_no_loop(ann, feature, to_jane)  # Jane's calls go to nobody
    bob = make_user("bob.ray@example.com", first_name="Bob", last_name="Ray", extension="3205")
    with pytest.raises(SaveWouldLoop) as refused:
        check_no_loop(bob, feature, to_jane)
    assert [hop.to_user_id for hop in refused.value.path] == [jane.id, bob.id]


def test_a_deleted_person_no_longer_closes_a_loop(jane, john, admin, make_user, set_feature):
    """Jane -> John -> Ann: Ann forwarding to Jane loops until John is deleted (his edges go, and Jane's
    edge to his extension then leads nowhere)."""
    from userhub.admin.deletion import delete_user

    ann = make_user("ann.lee@example.com", first_name="Ann", last_name="Lee", extension="3202")
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="3201")
    set_feature(john, "call-forwarding", always_enabled=True, always_destination="3202")
    feature = registry.get("call-forwarding")
    to_jane = feature.Values(always_enabled=True, always_destination="3200")
    with pytest.raises(SaveWouldLoop):
        check_no_loop(ann, feature, to_jane)
    john_id = john.id
    delete_user(john, admin)
    db.session.commit()
    assert db.session.scalars(select(CallingEdge.to_user_id).where(CallingEdge.user_id == jane.id)).all() == [None]
    assert john_id not in db.session.scalars(select(CallingEdge.to_user_id)).all()
    check_no_loop(ann, feature, to_jane)


def test_the_whole_graph_read_finds_the_owners_the_rounds_find(jane, john, organization):
    """The read of the whole graph (from the organization's extensions and numbers) gives each edge the
    owner the rounds give it (looked up edge by edge), and the rounds backwards (from the people's
    extensions and numbers) the same edges: an extension or a number of the organization; not the same
    extension or a number in another organization, nor a number nobody has."""
    from userhub.accounts.provisioning import create_user
    from userhub.organizations.services import add_numbers, create_location, create_organization
    from userhub.phones import number_range
    from userhub.routing import graph_sql
    from userhub.routing.loops import Destination
    from userhub.routing.route import Feature

    other = create_organization("Other", "https://other.example.com")
    lyon = create_location(other, "Lyon", "FR", "Europe/Paris")
    add_numbers(lyon, number_range("+33 1 84 88 33 00", "+33 1 84 88 33 01", "FR"))
    db.session.flush()
    olga = create_user(other, "olga@example.com", first_name="Olga", location=lyon,
                       phone_number=lyon.phone_numbers[0], extension="3202")
    db.session.flush()
    org = organization.id
    ring = Feature.SIMULTANEOUS_RING
    graph_sql.replace_edges(org, jane.id, [ring], [Destination(ring, target) for target in (
        "3201", "+33184883201", "3202", "+33184883300", "+33184883205")])
    graph_sql.replace_edges(org, john.id, [ring], [Destination(ring, "+33184883200")])
    graph_sql.replace_edges(other.id, olga.id, [ring], [Destination(ring, "3200")])  # Olga's org has no 3200
    db.session.commit()

    everybody = [jane.id, john.id, olga.id]
    hops = graph_sql.organization_hops(org)
    whole = {user: sorted(graph_sql.hops_of(hops, user)) for user in everybody if graph_sql.hops_of(hops, user)}
    assert whole == {jane.id: [john.id, john.id], john.id: [jane.id]}
    by_rounds: dict[int, list[int]] = {}
    for user_id, _feature, _target, owner in graph_sql.edges_of(org, [jane.id, john.id]):
        if owner is not None:
            by_rounds.setdefault(user_id, []).append(owner)
    assert {user: sorted(owners) for user, owners in by_rounds.items()} == whole
    # the rounds of the search backwards: who leads to Jane and John, the same edges the other way round
    backwards: dict[int, list[int]] = {}
    for who, whom in graph_sql.leads_to(org, [jane.id, john.id]):
        backwards.setdefault(who, []).append(whom)
    assert {user: sorted(owners) for user, owners in backwards.items()} == whole
    assert graph_sql.organization_hops(other.id) == {}
    assert graph_sql.leads_to(other.id, [olga.id]) == []  # Jane's 3202 is not Olga's 3202


# --- the search from both ends: exact whatever the shape of the graph ------------------------------


def _people(make_user, organization, count: int):  # type: ignore[no-untyped-def]
    """``count`` people with extensions 4100...; the first eight also have a number of the Paris office."""
    location = organization.locations[0]
    numbers = location.phone_numbers[2:10]
    return [make_user(f"p{i}@example.com", first_name="P", last_name=str(i), location=location,
                      phone_number=numbers[i] if i < len(numbers) else None, extension=f"41{i:02d}")
            for i in range(count)]


def _reaches(graph: dict[int, list[int]], starts: list[int], saver: int) -> bool:
    """The reference answer: a plain search of the whole graph, the saver's saved edges left out (the
    save replaces them)."""
    seen, stack = set(), list(starts)
    while stack:
        user = stack.pop()
        if user == saver:
            return True
        if user not in seen:
            seen.add(user)
            stack.extend(graph.get(user, ()))
    return False


@pytest.mark.parametrize("max_rounds", [0, 2, loop_check.MAX_ROUNDS])
def test_the_check_refuses_exactly_the_saves_that_close_a_loop(make_user, organization, monkeypatch, max_rounds):
    """Random graphs of 12 people (by extension, by number, outside numbers, several edges each): the
    check refuses a save exactly when a plain search of the whole graph finds the way back, and the path
    it names is made of edges that exist, from the saver back to the saver; with the whole graph read at
    once (0 rounds), after 2 rounds, and with the rounds alone."""
    import random

    from userhub.routing import graph_sql
    from userhub.routing.loops import Destination
    from userhub.routing.route import Feature

    monkeypatch.setattr(loop_check, "MAX_ROUNDS", max_rounds)
    people = _people(make_user, organization, 12)
    db.session.commit()
    ids = [p.id for p in people]
    by_target = {p.extension: p.id for p in people} | {p.phone_number.e164: p.id for p in people if p.phone_number}
    targets = sorted(by_target) + [MOTHER]
    rnd = random.Random(16 + max_rounds)
    ring, always = Feature.SIMULTANEOUS_RING, Feature.FORWARD_ALWAYS
    refused = 0
    for _graph in range(25):
        graph: dict[int, list[int]] = {}
        edges: dict[int, set[tuple[Feature, str]]] = {}
        for person in ids:
            chosen = rnd.sample(targets, rnd.choice([0, 1, 1, 2, 3]))
            graph[person] = [by_target[t] for t in chosen if t in by_target]
            edges[person] = {(ring, t) for t in chosen}
            graph_sql.replace_edges(organization.id, person, [ring], [Destination(ring, t) for t in chosen])
        db.session.commit()
        for _save in range(4):
            saver = rnd.choice(people)
            destination = rnd.choice(targets)
            expected = destination in by_target and _reaches(
                {k: v for k, v in graph.items() if k != saver.id}, [by_target[destination]], saver.id)
            found = loop_check.find_saved_loop(saver, [Destination(always, destination)])
            assert (found is not None) is expected, (graph, saver.id, destination)
            if found is None:
                continue
            refused += 1
            path, _owners = found
            assert path[0].user_id == saver.id and (path[0].feature, path[0].target) == (always, destination)
            assert path[-1].to_user_id == saver.id
            for hop, following in zip(path, path[1:], strict=False):
                assert hop.to_user_id == following.user_id
                assert (following.feature, following.target) in edges[following.user_id]
                assert by_target[following.target] == following.to_user_id
    assert refused >= 10  # the graphs close loops often enough for the paths to be checked


def test_a_loop_met_in_the_middle_is_named_from_end_to_end(make_user, organization, set_feature, monkeypatch):
    """Many people lead to the saver and the destination reaches many: the searches from both ends meet
    in the middle, and the message still names every hop from the saver back to the saver."""
    people = _people(make_user, organization, 10)
    saver, first = people[0], people[1]
    # the destination (P 1) rings four people, three of whom go nowhere further; the fourth (P 5) forwards
    # to P 6's number, who forwards busy to P 7, who rings the saver by number; P 8 and P 9 lead to the saver
    set_feature(first, "simultaneous-ring", enabled=True,
                numbers=[{"phone_number": f"41{i:02d}"} for i in (2, 3, 4, 5)])
    set_feature(people[5], "call-forwarding", always_enabled=True, always_destination=people[6].phone_number.e164)
    set_feature(people[6], "call-forwarding", busy_enabled=True, busy_destination="4107")
    set_feature(people[7], "sequential-ring", enabled=True,
                numbers=[{"phone_number": saver.phone_number.e164, "rings": 3}])
    for other in people[8:]:
        set_feature(other, "call-forwarding", no_answer_enabled=True, no_answer_destination="4100")
    feature = registry.get("call-forwarding")
    db.session.expire_all()
    with pytest.raises(SaveWouldLoop) as refused:
        check_no_loop(saver, feature, feature.Values(always_enabled=True, always_destination="4101"))
    assert [hop.to_user_id for hop in refused.value.path] == [p.id for p in (first, people[5], people[6],
                                                                              people[7], saver)]
    assert refused.value.message == (
        "Calls would go round in a circle: P 0 (01 84 88 32 02) → forward all calls → P 1 (4101)"
        " → simultaneous ring → P 5 (4105) → forward all calls → P 6 (01 84 88 32 08)"
        " → forward when busy → P 7 (4107) → sequential ring → P 0 (01 84 88 32 02)")
    # P 7 rings someone else instead: nobody leads back any more, whoever still forwards to the saver
    set_feature(people[7], "sequential-ring", enabled=True, numbers=[{"phone_number": MOTHER, "rings": 3}])
    check_no_loop(saver, feature, feature.Values(always_enabled=True, always_destination="4101"))


def test_saving_as_someone_nobody_leads_to_costs_two_queries_whatever_the_destination_reaches(
        make_user, organization, set_feature):
    """The destination leads through everybody (a chain), but nobody forwards to the saver: the search
    backwards from the saver ends at its first round."""
    people = _people(make_user, organization, 12)
    for i, person in enumerate(people[1:-1], start=1):
        set_feature(person, "call-forwarding", always_enabled=True, always_destination=f"41{i + 1:02d}")
    feature = registry.get("call-forwarding")
    count = 0

    def count_it(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        nonlocal count
        count += "pg_advisory_xact_lock" not in statement

    saver = people[0]
    assert saver.organization_id  # loaded again after the commit, before counting
    event.listen(db.engine, "before_cursor_execute", count_it)
    try:
        check_no_loop(saver, feature, feature.Values(always_enabled=True, always_destination="4101"))
    finally:
        event.remove(db.engine, "before_cursor_execute", count_it)
    # who has 4101; P 1's destinations (one person, as many as the saver on the other side); who leads to
    # the saver (nobody: no loop)
    assert count == 3
