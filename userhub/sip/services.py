"""SIP servers' credentials, people's SIP accounts, and the call decision."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Connection, bindparam, select

from ..accounts.models import User
from .. import unit_of_work
from ..calling import services as calling
from ..errors import DomainError
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import ngettext
from ..organizations.models import PhoneNumber
from ..routing.evaluate import evaluate
from ..organizations.models import Location
from ..routing.mapper import (
    _LOCATIONS,
    _USERS,
    PERSON_COLUMNS,
    Person,
    _owners_query,
    is_extension,
    person_of,
    routing_settings_for,
    time_zone_of,
)
from ..routing.inputs import ANONYMOUS, SOME_NUMBER, UNAVAILABLE, IncomingCall
from ..routing.route import Route
from ..timeutil import utcnow
from ..voicemail.models import VoicemailSettings
from .models import SipAccount, SipServer
from .plan import Plan, Targets, plan_of, reject

SERVER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
SIP_USER = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
SIP_PASSWORD_MIN = 12  # phones store it, nobody types it twice a day: long is cheap


class SipError(DomainError):
    """A refused change, with a message for the person (translated, on the field it is about) or the
    operator (the command line's, in English)."""


# --- SIP servers ------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A proxy asks for every call: its credential is looked up once, then kept per process for this long.
# Rotating or removing a server forgets it in this process at once, in the other processes after this.
SERVER_CACHE_SECONDS = 10.0


@dataclass(frozen=True)
class KnownServer:
    name: str
    until: float  # monotonic() after which the database is asked again


def _known_servers() -> dict[str, KnownServer]:
    return current_app.extensions.setdefault("userhub_sip_servers", {})  # type: ignore[no-any-return]


def _forget_servers() -> None:
    _known_servers().clear()


def add_server(name: str) -> tuple[SipServer, str]:
    """A new SIP server and its credential (shown once)."""
    if not SERVER_NAME.match(name):
        raise SipError("A SIP server name is 1 to 80 letters, digits, dots, dashes or underscores.")
    if db.session.scalar(select(SipServer.id).where(SipServer.name == name)) is not None:
        raise SipError(f"A SIP server named {name!r} already exists.")
    token = secrets.token_urlsafe(32)
    server = SipServer(name=name, token_hash=_digest(token))
    db.session.add(server)
    db.session.flush()  # its id, for the caller
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
    unit_of_work.after_commit(_forget_servers)  # a request in between would cache the old credential again
    return token


def remove_server(name: str) -> None:
    db.session.delete(_server(name))
    unit_of_work.after_commit(_forget_servers)


def servers() -> list[SipServer]:
    return list(db.session.scalars(select(SipServer).order_by(SipServer.name)))


@cache
def _server_query() -> Any:
    return select(SipServer.name).where(SipServer.token_hash == bindparam("token_hash"))


def server_for(authorization: str) -> KnownServer | None:
    """The server whose credential is in an ``Authorization: Bearer ...`` header, if any. Only the
    SHA-256 of the token is compared (stored, cached): timing tells nothing about the token itself.
    Refusals are not cached, so a server added on another process is accepted at once."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    digest = _digest(token.strip())
    known = _known_servers()
    found = known.get(digest)
    now = monotonic()
    if found is not None and found.until > now:
        return found
    name = db.session.scalar(_server_query(), {"token_hash": digest})
    if name is None:
        known.pop(digest, None)
        return None
    found = known[digest] = KnownServer(name, now + SERVER_CACHE_SECONDS)
    return found


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
        db.session.flush()  # its id, and the unique user name checked now
    return account


def suggest_password() -> str:
    return secrets.token_urlsafe(18)  # 24 characters, 144 random bits


def set_password(user: User, password: str) -> SipAccount:
    if len(password) < SIP_PASSWORD_MIN:
        raise SipError(ngettext("Use at least %(num)d character: the suggested one is random and long.",
                                "Use at least %(num)d characters: the suggested one is random and long.",
                                SIP_PASSWORD_MIN), field="password")
    if not password.isascii() or not password.isprintable() or " " in password:
        # Phones' keypads and provisioning files take printable ASCII only.
        raise SipError(_("Use letters, digits and punctuation only (no spaces or accents): phones accept nothing "
                         "else."), field="password")
    account = ensure_account(user)
    account.realm = current_app.config["USERHUB_SIP_REALM"]
    # SIP digest (RFC 2617, RFC 3261) is defined on MD5: phones and proxies compute nothing else. The
    # password is random and long (suggested by the page), which is what keeps an HA1 from being reversed.
    ha1 = f"{account.sip_user}:{account.realm}:{password}"
    ha1b = f"{account.sip_user}@{account.realm}:{account.realm}:{password}"
    account.ha1 = hashlib.md5(ha1.encode()).hexdigest()  # nosec B324
    account.ha1b = hashlib.md5(ha1b.encode()).hexdigest()  # nosec B324
    account.password_set_at = utcnow()
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


_ACCOUNTS = SipAccount.__table__.c
_VOICEMAIL = VoicemailSettings.__table__.c
_NUMBERS = PhoneNumber.__table__.c


@cache
def _person_query(by: str) -> Any:
    """A person with their SIP user name, location's time zone, own number and voicemail settings in
    one statement, as plain columns (no ORM object: a call decision runs it on every call, twice for an
    internal one); built once with bound parameters (building a statement cost about as much as running
    it). ``by``: how the person is named: "sip_user", "e164" or "extension" (within an organization).
    The voicemail columns are NULL when they have saved none: the mapper takes them as read."""
    query = (select(*PERSON_COLUMNS, _ACCOUNTS.sip_user, _NUMBERS.e164, _VOICEMAIL.user_id.label("voicemail_of"),
                    _VOICEMAIL.enabled, _VOICEMAIL.send_all_calls, _VOICEMAIL.send_busy_calls,
                    _VOICEMAIL.send_unanswered_calls, _VOICEMAIL.unanswered_rings)
             .select_from(User.__table__)
             .join(SipAccount.__table__, _ACCOUNTS.user_id == _USERS.id)
             .outerjoin(Location.__table__, _LOCATIONS.id == _USERS.location_id)
             .outerjoin(VoicemailSettings.__table__, _VOICEMAIL.user_id == _USERS.id))
    if by == "e164":
        return query.join(PhoneNumber.__table__, _NUMBERS.user_id == _USERS.id).where(_NUMBERS.e164 == bindparam("name"))
    query = query.outerjoin(PhoneNumber.__table__, _NUMBERS.user_id == _USERS.id)
    if by == "extension":
        return query.where(_USERS.organization_id == bindparam("organization_id"), _USERS.extension == bindparam("name"))
    return query.where(_ACCOUNTS.sip_user == bindparam("name"))


@dataclass(frozen=True)
class Called:
    """A person as the decision reads them: who (for the routing reader), their SIP user name, their own
    number, and their voicemail settings row (None: never saved, the defaults apply)."""

    person: Person
    sip_user: str
    e164: str | None
    voicemail: Any


def _person(connection: Connection, by: str, **parameters: Any) -> Called | None:
    row = connection.execute(_person_query(by), parameters).first()
    if row is None:
        return None
    return Called(person_of(row), row.sip_user, row.e164, row if row.voicemail_of is not None else None)


def _account_user(connection: Connection, sip_user: str) -> Called | None:
    return _person(connection, "sip_user", name=sip_user)


def _called(connection: Connection, question: CallQuestion, caller: Person | None) -> Called | None:
    """The person called and their SIP account (None: nobody, or nobody with a SIP account)."""
    if question.called.startswith("+"):
        return _person(connection, "e164", name=question.called)
    if is_extension(question.called) and caller is not None:
        return _person(connection, "extension", name=question.called, organization_id=caller.organization_id)
    return _account_user(connection, question.called)


@cache
def _owners_with_accounts(numbers: bool, extensions: bool) -> Any:
    """The panel's owners query (routing.mapper) with each owner's SIP user name: one round trip."""
    owners = _owners_query(numbers, extensions).subquery()
    return select(owners, SipAccount.sip_user).outerjoin(SipAccount, SipAccount.user_id == owners.c.user_id)


def _targets(connection: Connection, user: Person, own: str, routes: Iterable[Route]) -> Targets:
    wanted = {t.number for route in routes for step in route.steps for t in step.targets if t.number}
    numbers = sorted(t for t in wanted if t.startswith("+"))
    extensions = sorted(t for t in wanted if is_extension(t))
    owner_of: dict[str, int] = {}
    org_numbers: set[str] = set()
    accounts: dict[int, str] = {}
    if numbers or extensions:
        parameters: dict[str, Any] = {"organization_id": user.organization_id}
        parameters.update({"numbers": numbers} if numbers else {})
        parameters.update({"extensions": extensions} if extensions else {})
        for row in connection.execute(_owners_with_accounts(bool(numbers), bool(extensions)), parameters):
            if row.org_number:
                org_numbers.add(row.target)
            if row.user_id is not None:
                owner_of[row.target] = row.user_id
                if row.sip_user:
                    accounts[row.user_id] = row.sip_user

    def sip_user(number: str) -> str | None:
        owner = owner_of.get(number)
        return accounts.get(owner) if owner is not None else None

    def outside(number: str) -> bool:  # a public number nobody of the organization has
        return number.startswith("+") and number not in org_numbers and number not in owner_of

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


def _read_only_autocommit() -> Connection:
    """The decision only reads: its statements run without BEGIN and ROLLBACK (two round trips fewer a
    call). Each statement still sees committed data only (PostgreSQL's READ COMMITTED already takes a
    snapshot per statement, so the transaction added nothing). Left alone when the request has already
    opened a transaction (the SIP server's credential read, every 10 s): its isolation level stands.
    Returns the session's connection: the decision's own statements (plain Core, nothing to flush in a
    request that only reads) run on it directly, past the Session's per-statement work."""
    if not db.session().in_transaction():
        return db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return db.session.connection()


def decide(question: CallQuestion) -> Plan:
    """The plan for one incoming call, from the evaluator that draws "Where will my call go?", on the
    settings read by the panel's reader (``routing_settings_for``). Statements: the caller (internal
    calls), the person called with their SIP account, location and voicemail settings, their calling
    settings with rules, access and executive relations (one, ``calling.services.load``), their
    schedules when rules have some, an executive's assistants, and the owners of the numbers the plan
    names when it names some. Nothing is cached: every call reads what is saved now."""
    connection = _read_only_autocommit()  # the decision's own statements run on it, past the Session
    caller_user: Person | None = None
    caller = question.caller
    if question.internal and caller and not caller.startswith("+") and caller.lower() != "anonymous":
        found = _account_user(connection, caller)
        if found is not None:
            caller_user = found.person
            caller = found.e164 or SOME_NUMBER
        else:
            caller = SOME_NUMBER
    called = _called(connection, question, caller_user)
    if called is None:
        return reject(404, "Not Found")
    user = called.person
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
    snapshot = calling.load(user)
    settings = routing_settings_for(user, snapshot, voicemail=called.voicemail)
    route = evaluate(settings, call)
    # The same evaluator answers for the states the proxy may find while ringing: busy, not registered.
    busy = evaluate(dataclasses.replace(settings, call_waiting=False), dataclasses.replace(call, on_call=True))
    unreachable = evaluate(settings, dataclasses.replace(call, reachable=False))
    targets = _targets(connection, user, called.sip_user, (route, busy, unreachable))
    plan = plan_of(route, targets, current_app.config["USERHUB_SIP_RING_SECONDS"], busy, unreachable)
    if hides_forward_target(snapshot, question.internal):
        plan["private"] = 1
    return plan


def hides_forward_target(snapshot: calling.Snapshot, internal: bool) -> bool:
    """Block caller ID for forwarded calls (reference 15c, connected line privacy on redirected calls):
    when this person's call is forwarded, the caller is not shown who took it. "external": only for
    callers from outside; "all": for every caller. A setting the person may not use does not apply."""
    state = snapshot.states.get("block-caller-id")
    if state is None or not state.allowed:
        return False
    privacy = state.values.privacy
    return bool(privacy == "all" or (privacy == "external" and not internal))
