"""The question a SIP proxy asks about a call a registered phone places (outbound.py answers it).

Kept apart from views.py: the call decision for incoming calls is unchanged, this route only adds the
classification of what a phone dialled (a colleague, or a public number through the gateway)."""

from __future__ import annotations

import logging

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from ..i18n import gettext as _
from . import outbound
from .asking import asking_server, call_time, no_credential, one_line_json, sip_server_limit, sip_servers_only
from .blueprint import bp

log = logging.getLogger("userhub.sip")


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
    at = call_time()
    return outbound.PlacedCall(caller=caller, dialled=dialled, private=private == "1", at=at)


@bp.get("/sip/outgoing")
@sip_servers_only
@sip_server_limit
def outgoing() -> ResponseReturnValue:
    """Where a call placed by an authenticated phone goes, as compact JSON (outbound.py). SIP proxies only."""
    server = asking_server()
    if server is None:
        log.warning("outgoing call question refused: no valid SIP server credential")
        return no_credential()
    try:
        call = _placed_call()
    except ValueError as error:
        return jsonify(error=str(error)), 400
    plan = outbound.placed(call)
    log.info("outgoing call from %s to %s by %s: %s", call.caller, call.dialled, server.name, plan["action"])
    return one_line_json(plan)
