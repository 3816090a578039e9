"""SIP servers' credentials, people's SIP accounts, and the call decision."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..extensions import db
from ..organizations.models import PhoneNumber
from ..routing.evaluate import evaluate
from ..routing.mapper import (
    is_extension,
    resolve_targets,
    routing_settings_for,
    time_zone_of,
)
from ..routing.inputs import ANONYMOUS, SOME_NUMBER, UNAVAILABLE, IncomingCall
from ..routing.route import Route
from ..timeutil import utcnow
from .models import SipAccount, SipServer
from .plan import Plan, Targets, plan_of, reject

SERVER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
SIP_USER = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
SIP_PASSWORD_MIN = 12  # phones store it, nobody types it twice a day: long is cheap


class SipError(Exception):
    """A refused change, with a message for the person or the operator."""


# --- SIP servers ------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_server(name: str) -> tuple[SipServer, str]:
    """A new SIP server and its credential (shown once)."""
    if not SERVER_NAME.match(name):
        raise SipError("A SIP server name is 1 to 80 letters, digits, dots, dashes or underscores.")
    if db.session.scalar(select(SipServer.id).where(SipServer.name == name)) is not None:
        raise SipError(f"A SIP server named {name!r} already exists.")
    token = secrets.token_urlsafe(32)
    server = SipServer(name=name, token_hash=_digest(token))
    db.session.add(server)
    db.session.commit()
    return server, token


def _server(name: str) -> SipServer:
    server = db.session.scalar(select(SipServer).where(SipServer.name == name))
    if server is None:
        raise SipError(f"No SIP server named {name!r}.")
    return server


def rotate_server(name: str) -> str:
    """A new credential for the server; the old one stops working at once."""
    server = _server(name)
    token = secrets.token_urlsafe(32)
    server.token_hash = _digest(token)
    server.rotated_at = utcnow()
    db.session.commit()
    return token


def remove_server(name: str) -> None:
    db.session.delete(_server(name))
    db.session.commit()


def servers() -> list[SipServer]:
    return list(db.session.scalars(select(SipServer).order_by(SipServer.name)))


def server_for(authorization: str) -> SipServer | None:
    """The server whose credential is in an ``Authorization: Bearer ...`` header, if any."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return db.session.scalar(select(SipServer).where(SipServer.token_hash == _digest(token.strip())))


# --- SIP accounts -----------------------------------------------------------------------------------


def account_of(user: User) -> SipAccount | None:
    return db.session.scalar(select(SipAccount).where(SipAccount.user_id == user.id))


def ensure_account(user: User) -> SipAccount:
    """The person's SIP account, created with a user name the first time (no password yet: no phone can
    register until one is set)."""
    account = account_of(user)
    if account is None:
        local = re.sub(r"[^a-z0-9._-]", "", user.email.partition("@")[0].lower())[:40] or "user"
        account = SipAccount(user_id=user.id, sip_user=f"{local}.{user.id}",
                             realm=current_app.config["USERHUB_SIP_REALM"])
        db.session.add(account)
        db.session.commit()
    return account


def suggest_password() -> str:
    return secrets.token_urlsafe(18)  # 24 characters, 144 random bits


def set_password(user: User, password: str) -> SipAccount:
    if len(password) < SIP_PASSWORD_MIN:
        raise SipError("short")
    if not password.isascii() or not password.isprintable() or " " in password:
        raise SipError("charset")  # phones' keypads and provisioning files take printable ASCII only
    account = ensure_account(user)
    account.realm = current_app.config["USERHUB_SIP_REALM"]
    # SIP digest (RFC 2617, RFC 3261) is defined on MD5: phones and proxies compute nothing else. The
    # password is random and long (suggested by the page), which is what keeps an HA1 from being reversed.
    ha1 = f"{account.sip_user}:{account.realm}:{password}"
    ha1b = f"{account.sip_user}@{account.realm}:{account.realm}:{password}"
    account.ha1 = hashlib.md5(ha1.encode()).hexdigest()  # nosec B324
    account.ha1b = hashlib.md5(ha1b.encode()).hexdigest()  # nosec B324
    account.password_set_at = utcnow()
    db.session.commit()
    return account


def ha1_of(sip_user: str, realm: str) -> str | None:
    """The HA1 of a SIP user name in a realm, when a SIP password is set."""
    ha1 = db.session.scalar(select(SipAccount.ha1).where(SipAccount.sip_user == sip_user, SipAccount.realm == realm))
    return ha1 or None


# --- the call decision ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallQuestion:
    """What the proxy asks: ``called`` is a SIP user name, an E.164 number or (with a SIP user as
    ``caller``) an extension of the caller's organization; ``caller`` an E.164 number, a SIP user name
    (internal calls), "anonymous" or "" (no number)."""

    called: str
    caller: str = ""
    internal: bool = False
    reachable: bool = True
    on_call: bool = False
    diversions: int = 0
    at: datetime | None = None  # aware; None: now


def _with_account() -> Any:
    """A person with their SIP account and location (the time zone) in one query."""
    return select(User, SipAccount).join(SipAccount, SipAccount.user_id == User.id).options(joinedload(User.location))


def _account_user(sip_user: str) -> tuple[User, SipAccount] | None:
    row = db.session.execute(_with_account().where(SipAccount.sip_user == sip_user)).first()
    return None if row is None else (row[0], row[1])


def _called(question: CallQuestion, caller: User | None) -> tuple[User, SipAccount] | None:
    """The person called and their SIP account (None: nobody, or nobody with a SIP account)."""
    if question.called.startswith("+"):
        query = _with_account().join(PhoneNumber, PhoneNumber.user_id == User.id).where(
            PhoneNumber.e164 == question.called)
    elif is_extension(question.called) and caller is not None:
        query = _with_account().where(User.organization_id == caller.organization_id,
                                      User.extension == question.called)
    else:
        return _account_user(question.called)
    row = db.session.execute(query).first()
    return None if row is None else (row[0], row[1])


def _targets(user: User, own: str, routes: Iterable[Route]) -> Targets:
    numbers = {t.number for route in routes for step in route.steps for t in step.targets if t.number}
    owners = resolve_targets(user.organization_id, numbers)
    accounts: dict[int, str] = {}
    if owners.owners:
        rows = db.session.execute(select(SipAccount.user_id, SipAccount.sip_user)
                                  .where(SipAccount.user_id.in_(set(owners.owners.values()))))
        accounts = {user_id: sip_user for user_id, sip_user in rows}

    def sip_user(number: str) -> str | None:
        owner = owners.owners.get(number)
        return accounts.get(owner) if owner is not None else None

    def outside(number: str) -> bool:  # a public number nobody of the organization has
        return number.startswith("+") and number not in owners.org_numbers and number not in owners.owners

    def ring(number: str) -> str | None:
        found = sip_user(number)
        return f"L:{found}" if found else (f"G:{number}" if outside(number) else None)

    def forward(number: str) -> str | None:
        found = sip_user(number)
        return f"U:{found}" if found else (f"G:{number}" if outside(number) else None)

    def mailbox(number: str) -> str | None:
        found = sip_user(number)
        return f"V:{found}" if found else None

    return Targets(own, ring, forward, mailbox)


def decide(question: CallQuestion) -> Plan:
    """The plan for one incoming call, from the evaluator that draws "Where will my call go?"."""
    caller_user: User | None = None
    caller = question.caller
    if question.internal and caller and not caller.startswith("+") and caller.lower() != "anonymous":
        found = _account_user(caller)
        if found is not None:
            caller_user = found[0]
            number = caller_user.phone_number
            caller = number.e164 if number is not None else SOME_NUMBER
        else:
            caller = SOME_NUMBER
    called = _called(question, caller_user)
    if called is None:
        return reject(404, "Not Found")
    user, account = called
    if caller.lower() == "anonymous":
        caller = ANONYMOUS
    elif not caller:
        caller = UNAVAILABLE
    elif not caller.startswith("+") and caller not in (SOME_NUMBER,):
        caller = SOME_NUMBER  # a number the network gave in another form: no rule can list it
    zone = ZoneInfo(time_zone_of(user))
    at = (question.at or utcnow()).astimezone(zone)
    call = IncomingCall(at=at, caller=caller, internal=question.internal, on_call=question.on_call,
                        reachable=question.reachable, forwarded=question.diversions > 0)
    settings = routing_settings_for(user)
    route = evaluate(settings, call)
    # The same evaluator answers for the states the proxy may find while ringing: busy, not registered.
    busy = evaluate(dataclasses.replace(settings, call_waiting=False), dataclasses.replace(call, on_call=True))
    unreachable = evaluate(settings, dataclasses.replace(call, reachable=False))
    targets = _targets(user, account.sip_user, (route, busy, unreachable))
    return plan_of(route, targets, current_app.config["USERHUB_SIP_RING_SECONDS"], busy, unreachable)
