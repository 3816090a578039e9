"""Who asks a SIP question (the call decision, a phone's credentials, an outgoing call): a SIP server,
by its credential, never a web session; and its rate limit, one budget per SIP server. Shared by the
views of incoming and outgoing calls."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Response, current_app, g, jsonify, request

from ..extensions import limiter
from ..i18n import gettext as _
from ..security.access import Access
from . import services

# Nobody signed in to the web pages may ask for a decision, whatever their role: only a SIP server's
# credential opens it (checked in the view). The access sweeps read this declaration.
SIP_SERVERS_ONLY = Access(roles=frozenset(), organization_scoped=False)


def sip_servers_only(view):  # type: ignore[no-untyped-def]
    view.userhub_public = True  # no web session: the credential is checked by the view itself
    view.access = SIP_SERVERS_ONLY
    return view


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
sip_server_limit = limiter.shared_limit(lambda: current_app.config["USERHUB_SIP_DECISION_LIMIT"],
                                        scope="sip-questions", key_func=sip_server_limit_key)
sip_credentials_limit = limiter.shared_limit(lambda: current_app.config["USERHUB_SIP_DECISION_LIMIT"],
                                             scope="sip-credentials", key_func=sip_server_limit_key)


def no_credential() -> tuple[Response, int, dict[str, str]]:
    """The answer to a question without a valid SIP server credential."""
    return jsonify(error=_("A SIP server credential is needed.")), 401, {"WWW-Authenticate": "Bearer"}


def call_time() -> datetime | None:
    """The call's time from ``at`` (tests and replays), or None for now; ValueError with a clear message."""
    if not request.args.get("at"):
        return None
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
    return current_app.response_class(json.dumps(answer, separators=(",", ":"), ensure_ascii=True),
                                      mimetype="application/json")
