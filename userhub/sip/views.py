"""Routes of the SIP area: the call decision (for SIP proxies), the phones page, the SIP servers page."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..admin.context import CHANGE_USERS, own_user
from ..errors import show_on
from ..i18n import gettext as _
from ..security.access import admin_required, can_change_users, own_data
from . import services
from .asking import (asking_server, call_time, no_credential, one_line_json, sip_credentials_limit, sip_server_limit,
                     sip_servers_only)
from .blueprint import bp
from .forms import SipPasswordForm

log = logging.getLogger("userhub.sip")

def _flag(name: str, default: bool) -> bool:
    value = request.args.get(name, "")
    if value == "":
        return default
    if value not in ("0", "1"):
        raise ValueError(_("%(name)s must be 0 or 1.", name=name))
    return value == "1"


def _question() -> services.CallQuestion:
    called = request.args.get("to", "").strip()
    if not called or len(called) > 64:
        raise ValueError(_("Say who is called (to): a SIP user name, an E.164 number or an extension."))
    caller = request.args.get("from", "").strip()
    if len(caller) > 64:
        raise ValueError(_("The caller (from) is at most 64 characters."))
    diversions = request.args.get("diversions", "0")
    if not diversions.isdigit() or int(diversions) > 100:
        raise ValueError(_("diversions must be a number from 0 to 100."))
    at = call_time()
    return services.CallQuestion(called=called, caller=caller, internal=_flag("internal", False),
                                 reachable=_flag("reachable", True), on_call=_flag("on_call", False),
                                 diversions=int(diversions), at=at)


@bp.get("/sip/decision")
@sip_servers_only
@sip_server_limit
def decision() -> ResponseReturnValue:
    """Where one incoming call goes, as a compact JSON plan (plan.py). Asked by SIP proxies only."""
    server = asking_server()
    if server is None:
        log.warning("call decision refused: no valid SIP server credential")
        return no_credential()
    g.sip_server = server.name
    try:
        question = _question()
    except ValueError as error:
        return jsonify(error=str(error)), 400
    plan = services.decide(question)
    log.info("call decision for %s by %s: %s", question.called, server.name, plan["action"])
    return one_line_json(plan)


@bp.get("/sip/credentials")
@sip_servers_only
@sip_credentials_limit
def credentials() -> ResponseReturnValue:
    """The digest HA1 a SIP proxy checks a registration against (RFC 2617); SIP servers only."""
    server = asking_server()
    if server is None:
        log.warning("SIP credentials refused: no valid SIP server credential")
        return no_credential()
    found = services.ha1_of(request.args.get("user", "")[:64], request.args.get("realm", "")[:128])
    if found is None:
        return jsonify(error=_("No SIP password is set for this SIP user name.")), 404
    return one_line_json({"ha1": found})


@bp.route("/settings/calling/phones", methods=["GET", "POST"])
@own_data
def phones() -> ResponseReturnValue:
    return _phones_page(current_user, "sip/phones.html", url_for(".phones"), can_change=True)


@bp.route("/admin/users/<int:user_id>/phones", methods=["GET", "POST"])
@admin_required(change=CHANGE_USERS)  # like the rest of a user's administration
def user_phones(user_id: int) -> ResponseReturnValue:
    """An administrator sees a person's SIP identity and sets their SIP password (a phone to set up)."""
    person = own_user(user_id)
    return _phones_page(person, "sip/admin_phones.html", url_for(".user_phones", user_id=person.id),
                        can_change=can_change_users(current_user))


def _phones_page(person: Any, template: str, here: str, can_change: bool) -> ResponseReturnValue:
    account = services.account_of(person)
    form = SipPasswordForm()
    if request.method == "POST" and can_change and form.validate_on_submit():
        try:
            services.set_password(person, form.password.data or "")
        except services.SipError as error:
            show_on(form, error)
        else:
            flash(_("The SIP password is saved. Enter it in the phone."), "success")
            return redirect(here)
    elif request.method != "POST":
        form.password.data = services.suggest_password()
    return render_template(template, form=form if can_change else None, account=account, person=person,
                           action=here, realm=current_app.config["USERHUB_SIP_REALM"]), 400 if form.errors else 200


@bp.get("/admin/sip-servers")
@admin_required("full")
def servers() -> ResponseReturnValue:
    """The SIP servers allowed to ask for call decisions (managed with `flask sip-server ...`)."""
    return render_template("sip/servers.html", servers=services.servers())
