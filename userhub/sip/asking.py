"""Who asks a SIP question (the call decision, a phone's credentials, an outgoing call): a SIP server,
by its credential, never a web session; and its rate limit, one budget per SIP server. Shared by the
views of incoming and outgoing calls."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache, wraps
from typing import Any

from flask import Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests

from ..extensions import COUNTS_OWN_LIMIT, limiter
from ..i18n import gettext as _
from ..security.access import Access
from . import services

log = logging.getLogger("userhub.sip")

# Nobody signed in to the web pages may ask for a decision, whatever their role: only a SIP server's
# credential opens it (checked in the view). The access sweeps read this declaration.
SIP_SERVERS_ONLY = Access(roles=frozenset(), organization_scoped=False)


def sip_servers_only(view):  # type: ignore[no-untyped-def]
    view.userhub_public = True  # no web session: the credential is checked by the view itself
    view.access = SIP_SERVERS_ONLY
    return view


def no_web_session() -> None:
    """Before a SIP server's question (the blueprint's own rule): nobody is signed in to it, whatever
    cookie comes along, so the request never looks up a web session (the access rule and the headers
    that ask ``current_user`` get the anonymous user at once). Flask-Login keeps the request's user in
    ``g._login_user``, as its own ``login_user`` does."""
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "access", None) is SIP_SERVERS_ONLY:
        g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
        g.sip_question = True  # its JSON answer gets no browser headers (web._Talisman)


def asking_server() -> services.KnownServer | None:
    """The SIP server whose credential this request carries (checked once per request: the rate limit's
    key and the view both ask)."""
    if "sip_asking_server" not in g:
        g.sip_asking_server = services.server_for(request.headers.get("Authorization", ""))
    return g.sip_asking_server  # type: ignore[no-any-return]


def sip_server_limit_key() -> str:
    """Rate-limit key of a question from a SIP proxy: the SIP server its credential names, so that each
    server has its own budget wherever it asks from (several proxies behind one NAT address, one proxy
    moving address); without a valid credential, the client's address."""
    server = asking_server()
    return f"sip-server:{server.name}" if server is not None else f"address:{request.remote_addr or ''}"


# USERHUB_SIP_DECISION_LIMIT: per SIP server, one budget for the questions about calls (the decision, the
# outgoing call) and another of the same size for the phones' credentials, so that a storm of
# registrations (or of INVITEs with made-up credentials) never leaves calls without their decision.
#
# A proxy asks for every call, so the limit is counted here straight on Flask-Limiter's strategy and
# storage (Redis in production): one hit, with the key and scope its shared_limit would use (the same
# counter in the storage), without its per-request passes (before the request and in the decorator:
# about a sixth of a decision's CPU). Flask-Limiter's own pass leaves these views alone
# (``extensions.COUNTS_OWN_LIMIT``).
SIP_QUESTIONS = "sip-questions"
SIP_CREDENTIALS = "sip-credentials"


@lru_cache(maxsize=8)
def _limits_of(text: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(text))


def _limited(scope: str) -> Callable[[Callable[..., ResponseReturnValue]], Callable[..., ResponseReturnValue]]:
    def decorate(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        @wraps(view)
        def limited(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if limiter.enabled and limiter.initialized:
                key = sip_server_limit_key()
                parts = (limiter._key_prefix, key, scope) if limiter._key_prefix else (key, scope)
                for item in _limits_of(current_app.config["USERHUB_SIP_DECISION_LIMIT"]):
                    if not limiter.limiter.hit(item, *parts):
                        log.info("SIP rate limit %s (%s) exceeded: %s", item, key, scope)
                        raise TooManyRequests(str(item))
            return view(*args, **kwargs)

        setattr(limited, COUNTS_OWN_LIMIT, True)  # Flask-Limiter's own pass leaves it alone
        return limited

    return decorate


sip_server_limit = _limited(SIP_QUESTIONS)
sip_credentials_limit = _limited(SIP_CREDENTIALS)


def no_credential() -> tuple[Response, int, dict[str, str]]:
    """The answer to a question without a valid SIP server credential."""
    return jsonify(error=_("A SIP server credential is needed.")), 401, {"WWW-Authenticate": "Bearer"}


def call_time() -> datetime | None:
    """The call's time from ``at`` (tests and replays), or None for now; ValueError with a clear message."""
    if not request.args.get("at"):
        return None
    at: datetime | None
    try:
        at = datetime.fromisoformat(request.args["at"])
        # within the years a call can have (the schedules' local times of 0001 or 9999 overflow)
        if at.tzinfo is None or not 1900 <= at.astimezone(UTC).year <= 9000:
            at = None
    except (ValueError, OverflowError):
        at = None
    if at is None:
        raise ValueError(_("at must be an ISO 8601 date and time with its offset."))
    return at


def one_line_json(answer: dict) -> Response:  # type: ignore[type-arg]
    """One line: Kamailio's http_client returns only the first line unless told otherwise."""
    response = current_app.response_class(json.dumps(answer, separators=(",", ":"), ensure_ascii=True),
                                          mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"  # every call is decided on what is saved now
    return response
