"""Each feature saves what the page sends, within the reference's ranges, and refuses the rest with a
message tied to the field while nothing is stored."""

from __future__ import annotations

import pytest

from .conftest import save

FORWARD_BUSY = {"busy_enabled": "y", "busy_destination": "06 34 33 32 11", "no_answer_rings": "3"}


@pytest.mark.parametrize(("key", "data", "check"), [
    ("do-not-disturb", {"enabled": "y", "ring_reminder": "y"}, lambda s: s.values.enabled and s.values.ring_reminder),
    ("call-forwarding", FORWARD_BUSY, lambda s: s.values.busy_destination == "+33634333211"),
    ("call-forwarding", {"always_enabled": "y", "always_destination": "3201", "no_answer_rings": "3"},
     lambda s: s.values.always_destination == "3201"),
    ("call-waiting", {}, lambda s: s.values.enabled is False),
    ("anonymous-call-rejection", {"enabled": "y"}, lambda s: s.values.enabled),
    ("barge-in", {"enabled": "y"}, lambda s: s.values.enabled and not s.values.tone),
    ("block-caller-id", {"privacy": "external"}, lambda s: s.values.privacy == "external"),
    ("call-notify", {"enabled": "y", "email": "Jane@Example.com", "criteria-0-name": "Boss",
                     "criteria-0-rule": "on", "criteria-0-calls_from": "select",
                     "criteria-0-phone_numbers": "06 34 33 32 11\n+44 20 7946 0018", "criteria-0-schedule": ""},
     lambda s: s.values.email == "jane@example.com"
     and s.criteria[0].phone_numbers == ["+33634333211", "+442079460018"]),
    ("priority-alert", {"enabled": "y", "criteria-0-name": "Hidden", "criteria-0-rule": "off",
                        "criteria-0-calls_from": "select", "criteria-0-anonymous_callers": "y", "criteria-0-schedule": ""},
     lambda s: s.criteria[0].anonymous_callers and not s.criteria[0].enabled),
    ("selective-reject", {"enabled": "y", "criteria-0-name": "Forwarded", "criteria-0-rule": "on",
                          "criteria-0-calls_from": "forwarded", "criteria-0-schedule": ""},
     lambda s: s.criteria[0].calls_from == "forwarded"),
    ("selective-forward", {"enabled": "y", "default_destination": "06 34 33 32 11", "criteria-0-name": "Internal",
                           "criteria-0-rule": "on", "criteria-0-calls_from": "internal", "criteria-0-schedule": "",
                           "criteria-0-forward_to": "06 34 33 32 12"},
     lambda s: s.criteria[0].forward_to == "+33634333212" and s.values.default_destination == "+33634333211"),
    ("single-number-reach", {"enabled": "y", "numbers-0-phone_number": "06 34 33 32 11", "numbers-0-name": "Mobile",
                             "numbers-0-enabled": "y"},
     lambda s: s.values.numbers == [{"phone_number": "+33634333211", "name": "Mobile", "enabled": True,
                                     "answer_confirmation": False, "do_not_forward": False}]),
    ("hoteling", {"enabled": "y", "host_id": "HOST", "limit_enabled": "y", "limit_hours": "24"},
     lambda s: s.values.limit_hours == 24),
])
def test_a_valid_form_is_saved_and_shown_again(me_client, stored, me, colleague, key, data, check):
    data = {k: (str(colleague.id) if v == "HOST" else v) for k, v in data.items()}
    data.setdefault("limit_hours", "12")
    response = save(me_client, key, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    state = stored(me, key)
    saves = 2 if any(k.startswith("criteria-") for k in data) else 1  # a rule is saved on its own page first
    assert state.version == saves and check(state)
    assert me_client.get(response.location).status_code == 200


def test_no_answer_rings_between_2_and_20(me_client, stored, me):
    for rings, saved in (("1", False), ("2", True), ("20", True), ("21", False)):
        before = stored(me, "call-forwarding")
        response = save(me_client, "call-forwarding", {"no_answer_enabled": "y", "no_answer_destination": "0634333211",
                                                       "no_answer_rings": rings})
        assert (response.status_code == 302) is saved, rings
        after = stored(me, "call-forwarding")
        if saved:
            assert after.values.no_answer_rings == int(rings)
        else:
            assert "between 2 and 20" in response.get_data(as_text=True) and after.version == before.version


def _rows(count: int, start: int = 10, **extra: str) -> dict[str, str]:
    rows = {}
    for i in range(count):
        rows[f"numbers-{i}-phone_number"] = f"06 34 33 32 {start + i:02d}"
        rows.update({f"numbers-{i}-{k}": v for k, v in extra.items()})
    return rows


def test_simultaneous_ring_takes_up_to_10_numbers(me_client, stored, me):
    refused = save(me_client, "simultaneous-ring", {"enabled": "y", **_rows(11)})
    assert refused.status_code == 400 and "up to 10 numbers" in refused.get_data(as_text=True)
    assert save(me_client, "simultaneous-ring", {"enabled": "y", **_rows(10)}).status_code == 302
    assert len(stored(me, "simultaneous-ring").values.numbers) == 10


def test_sequential_ring_takes_up_to_5_numbers_of_2_to_20_rings(me_client, stored, me):
    for count, rings, own, saved in ((6, "3", "3", False), (1, "1", "3", False), (1, "21", "3", False),
                                     (1, "3", "1", False), (1, "3", "21", False),
                                     (5, "2", "2", True), (1, "20", "20", True)):
        response = save(me_client, "sequential-ring",
                        {"enabled": "y", "own_devices_rings": own, **_rows(count, rings=rings)})
        assert (response.status_code == 302) is saved, (count, rings, own)
        if saved:
            state = stored(me, "sequential-ring")
            assert len(state.values.numbers) == count and state.values.numbers[0]["rings"] == int(rings)
            assert state.values.own_devices_rings == int(own)
    assert stored(me, "sequential-ring").version == 2  # the refused forms stored nothing


def test_hoteling_limit_between_1_and_999_hours(me_client, stored, me, colleague):
    for hours, saved in (("0", False), ("1", True), ("999", True), ("1000", False)):
        response = save(me_client, "hoteling", {"enabled": "y", "host_id": str(colleague.id), "limit_enabled": "y",
                                                "limit_hours": hours})
        assert (response.status_code == 302) is saved, hours
    assert stored(me, "hoteling").values.limit_hours == 999


def test_a_criterion_takes_up_to_12_numbers(me_client, stored, me):
    def rule(n: int) -> dict[str, str]:
        numbers = "\n".join(f"06 34 33 33 {i:02d}" for i in range(n))
        return {"enabled": "y", "criteria-0-name": "VIP", "criteria-0-rule": "on", "criteria-0-calls_from": "select",
                "criteria-0-phone_numbers": numbers, "criteria-0-schedule": ""}

    assert save(me_client, "priority-alert", rule(13)).status_code == 400
    assert save(me_client, "priority-alert", rule(12)).status_code == 302
    assert len(stored(me, "priority-alert").criteria[0].phone_numbers) == 12
