"""The question a SIP proxy asks about a call a registered phone places (outbound.py answers it).

Kept apart from views.py: the call decision for incoming calls is unchanged, this route only adds the
classification of what a phone dialled (a colleague, or a public number through the gateway)."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from ..extensions import limiter
from ..i18n import gettext as _
from ..security.access import Access
from . import outbound, services
from .blueprint import bp

log = logging.getLogger("userhub.sip")

# Like the call decision: no web session opens it, only a SIP server's credential (checked below).
SIP_SERVERS_ONLY = Access(roles=frozenset(), organization_scoped=False)


def _sip_servers_only(view):  # type: ignore[no-untyped-def]
    view.userhub_public = True  # no web session: the credential is checked by the view itself
    view.access = SIP_SERVERS_ONLY
    return view


def _placed_call() -> outbound.PlacedCall:
    caller = request.args.get("from", "").strip()
    dialled = request.args.get("to", "").strip()
    if not caller or len(caller) > 64:
        raise ValueError(_("Say which SIP user places the call (from)."))
    if not dialled or len(dialled) > 64:
        raise ValueError(_("Say what the phone dialled (to): an extension, a number or a SIP user name."))
    private = request.args.get("private", "0")
    if private not in ("0", "1"):
        raise ValueError(_("%(name)s must be 0 or 1.", name="private"))
    at = None
    if request.args.get("at"):
        try:
            at = datetime.fromisoformat(request.args["at"])
        except ValueError:
            raise ValueError(_("at must be an ISO 8601 date and time with its offset.")) from None
        if at.tzinfo is None:
            raise ValueError(_("at must be an ISO 8601 date and time with its offset."))
    return outbound.PlacedCall(caller=caller, dialled=dialled, private=private == "1", at=at)


@bp.get("/sip/outgoing")
@_sip_servers_only
@limiter.limit(lambda: current_app.config["USERHUB_SIP_DECISION_LIMIT"])
def outgoing() -> ResponseReturnValue:
    """Where a call placed by an authenticated phone goes, as compact JSON (outbound.py). SIP proxies only."""
    server = services.server_for(request.headers.get("Authorization", ""))
    if server is None:
        log.warning("outgoing call question refused: no valid SIP server credential")
        return jsonify(error=_("A SIP server credential is needed.")), 401, {"WWW-Authenticate": "Bearer"}
    try:
        call = _placed_call()
    except ValueError as error:
        return jsonify(error=str(error)), 400
    plan = outbound.placed(call)
    log.info("outgoing call from %s to %s by %s: %s", call.caller, call.dialled, server.name, plan["action"])
    # one line: Kamailio's http_client returns only the first line unless told otherwise
    body = json.dumps(plan, separators=(",", ":"), ensure_ascii=True)
    return current_app.response_class(body, mimetype="application/json")
