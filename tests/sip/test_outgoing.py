"""Calls placed by phones (GET /sip/outgoing, outbound.py): a colleague stays internal, a public number
goes to the gateway with the caller's own number. Real SIP traffic in test_outgoing_calls.py."""

from __future__ import annotations

import pytest

PASSWORD = "correct-horse-battery"


@pytest.fixture
def outgoing(client, sip_token):  # type: ignore[no-untyped-def]
    """outgoing(from_=..., to=..., **params) -> (status, JSON)."""

    def ask(**params):  # type: ignore[no-untyped-def]
        params = {("from" if k == "from_" else k): v for k, v in params.items()}
        response = client.get("/sip/outgoing", query_string=params, headers={"Authorization": f"Bearer {sip_token}"})
        return response.status_code, response.get_json()

    return ask


def test_only_a_sip_server_may_ask(client, jane, with_phones):
    sip = with_phones(jane)
    response = client.get("/sip/outgoing", query_string={"from": sip, "to": "0612345678"})
    assert response.status_code == 401
    assert client.get("/sip/outgoing", query_string={"from": sip, "to": "0612345678"},
                      headers={"Authorization": "Bearer wrong"}).status_code == 401


@pytest.mark.parametrize("dialled", ["0612345678", "+33612345678", "06 12 34 56 78"])
def test_a_public_number_goes_to_the_gateway_with_the_callers_own_number(outgoing, jane, with_phones, dialled):
    sip = with_phones(jane)
    status, plan = outgoing(from_=sip, to=dialled)
    assert status == 200
    assert plan == {"action": "outbound", "target": "G:+33612345678", "identity": "+33184883200"}


def test_an_emergency_number_goes_to_the_gateway(outgoing, jane, with_phones):
    status, plan = outgoing(from_=with_phones(jane), to="112")
    assert (status, plan["action"], plan["target"]) == (200, "outbound", "G:112")


def test_a_colleagues_extension_stays_internal(outgoing, jane, john, with_phones):
    jane_sip, john_sip = with_phones(jane), with_phones(john)
    status, plan = outgoing(from_=jane_sip, to="3201")
    assert status == 200
    assert plan["action"] == "ring" and plan["user"] == john_sip
    assert (plan["caller"], plan["internal"]) == (jane_sip, 1)


@pytest.mark.parametrize("dialled", ["0184883201", "+33184883201", "+33 1 84 88 32 01"])
def test_a_colleagues_own_number_stays_internal(outgoing, jane, john, with_phones, dialled):
    jane_sip, john_sip = with_phones(jane), with_phones(john)
    status, plan = outgoing(from_=jane_sip, to=dialled)
    assert status == 200
    assert plan["action"] == "ring" and plan["user"] == john_sip and plan["internal"] == 1


def test_a_number_of_another_organization_is_an_outside_call_from_the_callers_number(outgoing, app, jane,
                                                                                       with_phones, make_user):
    from userhub.accounts.provisioning import create_user
    from userhub.extensions import db
    from userhub.organizations.services import add_numbers, create_location, create_organization

    other = create_organization("Globex", "https://globex.example.com")
    location = create_location(other, "Lyon", "FR", "Europe/Paris")
    add_numbers(location, ["+33478000000"])
    db.session.commit()
    hank = create_user(other, "hank@globex.example.com", first_name="Hank", last_name="Scorpio", location=location,
                       phone_number=location.phone_numbers[0], extension="3201")
    db.session.commit()
    jane_sip, hank_sip = with_phones(jane), with_phones(hank)
    status, plan = outgoing(from_=jane_sip, to="0478000000")
    assert status == 200 and plan["user"] == hank_sip
    assert (plan["caller"], plan["internal"]) == ("+33184883200", 0)
    _status, hidden = outgoing(from_=jane_sip, to="0478000000", private="1")
    assert hidden["caller"] == "anonymous"
    # Hank's extension is not Jane's colleague's: 3201 in her organization is nobody
    status, plan = outgoing(from_=jane_sip, to="3201")
    assert (status, plan) == (200, {"action": "reject", "code": 404, "reason": "Not Found"})
    # nor is Hank's SIP user name, dialled as a name: it is not a number to call from another organization
    assert outgoing(from_=jane_sip, to=hank_sip) == (200, {"action": "reject", "code": 404, "reason": "Not Found"})


def test_a_caller_without_a_public_number_cannot_call_out(outgoing, make_user, organization, with_phones):
    nobody = make_user("no.number@example.com", location=organization.locations[0], extension="3205")
    status, plan = outgoing(from_=with_phones(nobody), to="0612345678")
    assert (status, plan["action"], plan["code"]) == (200, "reject", 403)


def test_an_unknown_sip_user_places_no_call(outgoing, jane, with_phones):
    with_phones(jane)
    status, plan = outgoing(from_="nobody.0", to="0612345678")
    assert (status, plan["action"], plan["code"]) == (200, "reject", 403)


@pytest.mark.parametrize("dialled", ["+3361", "061234567890123"])
def test_what_is_not_a_number_is_address_incomplete(outgoing, jane, with_phones, dialled):
    status, plan = outgoing(from_=with_phones(jane), to=dialled)
    assert (status, plan["action"], plan["code"]) == (200, "reject", 484)


@pytest.mark.parametrize("params", [{"to": "0612345678"}, {"from": "jane.1"}, {"from": "x" * 65, "to": "1"},
                                    {"from": "jane.1", "to": "3201", "private": "yes"},
                                    {"from": "jane.1", "to": "3201", "at": "tomorrow"},
                                    {"from": "jane.1", "to": "3201", "at": "2026-12-07T10:00:00"}])
def test_bad_questions_get_a_clear_400(client, sip_token, params):
    response = client.get("/sip/outgoing", query_string=params, headers={"Authorization": f"Bearer {sip_token}",
                                                                          "Accept-Language": "fr"})
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_bad_questions_are_answered_in_french(client, sip_token):
    response = client.get("/sip/outgoing", query_string={"from": "jane.1"},
                          headers={"Authorization": f"Bearer {sip_token}", "Accept-Language": "fr"})
    assert response.get_json()["error"].startswith("Indiquez ce que le téléphone a composé (to)\u00a0:")
