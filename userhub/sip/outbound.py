"""Calls placed by phones: where a number a phone dials goes (issue #15).

The proxy asks this (``GET /sip/outgoing``) instead of the call decision for the first question of a call
a registered phone places, once the phone has authenticated. Dialled text becomes one of:

- a person of userhub (an extension of the caller's organization, or a number userhub holds, typed in
  E.164 or national form): the call stays on the proxy, and the answer is that person's own plan
  (``services.decide``, unchanged) with the caller as the decision should see them (``caller``,
  ``internal``: a colleague of the same organization calls internally, anyone else as an outside number);
- a public number nobody of userhub holds: ``{"action": "outbound", "target": "G:<E.164>",
  "identity": "<the caller's own E.164>"}``; the proxy sends it to the gateway with that identity in
  ``P-Asserted-Identity``, whatever identity the phone claimed;
- anything else: a reject the proxy answers as is (484 for a number that is not one, 403 for a caller
  with no public number to present).

Emergency numbers go to the gateway before anything else: they are never a colleague's extension, and
they never depend on the caller having a number or a location (without a number of their own, the
proxy asserts no identity and the gateway's trunk number applies, as when userhub does not answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from phonenumbers import shortnumberinfo
from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..organizations.models import Location, PhoneNumber
from ..phones import InvalidPhoneNumber, is_extension, parse_number, region_of
from .models import SipAccount
from .plan import Plan, reject
from .services import CallQuestion, decide


@dataclass(frozen=True)
class PlacedCall:
    """What the proxy asks about a call a phone places: ``caller`` is the authenticated SIP user name,
    ``dialled`` the Request-URI's user part, ``private`` whether the phone asked for anonymity
    (``Privacy: id``, RFC 3323)."""

    caller: str
    dialled: str
    private: bool = False
    at: datetime | None = None


def _caller(sip_user: str) -> User | None:
    return db.session.scalar(select(User).join(SipAccount, SipAccount.user_id == User.id)
                             .where(SipAccount.sip_user == sip_user))


def _colleague_extension(caller: User, dialled: str) -> bool:
    return is_extension(dialled) and db.session.scalar(
        select(User.id).where(User.organization_id == caller.organization_id, User.extension == dialled)) is not None


def _held_by(e164: str) -> int | None:
    """The organization of a number userhub holds (None: a public number of someone else)."""
    return db.session.scalar(select(Location.organization_id).join(PhoneNumber, PhoneNumber.location_id == Location.id)
                             .where(PhoneNumber.e164 == e164))


# The emergency numbers the proxy sends to the gateway on its own when userhub does not answer: the
# default of kamailio.cfg's EMERGENCY_NUMBERS, word for word (tests/sip/test_emergency_numbers.py), so
# that a number is an emergency whether or not userhub answers. France's (15, 17, 18, 112, 114, 115,
# 119, 191, 196, 197, 116000, 116117) and the common foreign ones dialled by habit.
EMERGENCY_NUMBERS = frozenset({"112", "15", "17", "18", "114", "115", "119", "191", "196", "197", "116000", "116117",
                               "911", "999"})


def _is_emergency(dialled: str, region: str | None) -> bool:
    if not (dialled.isascii() and dialled.isdigit()):
        return False
    return dialled in EMERGENCY_NUMBERS or bool(region) and shortnumberinfo.is_emergency_number(
        dialled, (region or "").upper())


def _outbound(number: str, caller: User) -> Plan:
    own = caller.phone_number
    if own is None:
        return reject(403, "No Public Number")  # no caller ID to present: the network would refuse it anyway
    return {"action": "outbound", "target": f"G:{number}", "identity": own.e164}


def _emergency(number: str, caller: User) -> Plan:
    """An emergency call always goes out: with the caller's own number when they have one, else with no
    asserted identity (the proxy then asserts none, and the gateway's trunk number applies)."""
    own = caller.phone_number
    return {"action": "outbound", "target": f"G:{number}", "identity": own.e164 if own is not None else ""}


def _colleague_sip_user(caller: User, dialled: str) -> bool:
    """A SIP user name of the caller's own organization (dialled as a name, not a number)."""
    return db.session.scalar(select(SipAccount.user_id).join(User, User.id == SipAccount.user_id)
                             .where(SipAccount.sip_user == dialled,
                                    User.organization_id == caller.organization_id)) is not None


def placed(call: PlacedCall) -> Plan:
    """Where a call placed by the phone of SIP user ``call.caller`` to ``call.dialled`` goes."""
    caller = _caller(call.caller)
    if caller is None:
        return reject(403, "Forbidden")
    region = region_of(caller)
    dialled = call.dialled.strip()
    if _is_emergency(dialled, region):
        return _emergency(dialled, caller)
    if _colleague_extension(caller, dialled):
        return _local(CallQuestion(called=dialled, caller=call.caller, internal=True, at=call.at), 1)
    try:
        number = parse_number(dialled, region)
    except InvalidPhoneNumber:
        # neither a colleague's extension nor a number: a colleague's SIP user name dialled directly, or
        # nobody (a SIP user name of another organization is nobody here: it is not a number to call)
        if dialled.startswith("+") or (dialled.isdigit() and len(dialled) > 10):
            return reject(484, "Address Incomplete")
        if not _colleague_sip_user(caller, dialled):
            return reject(404, "Not Found")
        return _local(CallQuestion(called=dialled, caller=call.caller, internal=True, at=call.at), 1)
    organization = _held_by(number)
    if organization is None:
        return _outbound(number, caller)
    if organization == caller.organization_id:
        return _local(CallQuestion(called=number, caller=call.caller, internal=True, at=call.at), 1)
    # another organization of the same hub: an outside call for the person called, from the caller's number
    own = caller.phone_number
    shown = "anonymous" if call.private else (own.e164 if own is not None else "")
    return _local(CallQuestion(called=number, caller=shown, internal=False, at=call.at), 0, shown)


def _local(question: CallQuestion, internal: int, caller: str | None = None) -> Plan:
    """A person of userhub is called: their plan, and how the proxy is to ask again about this call
    (on a call, or forwarded to a colleague)."""
    plan = decide(question)
    plan["caller"] = question.caller if caller is None else (caller or "")
    plan["internal"] = internal
    return plan

