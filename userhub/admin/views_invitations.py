""""Renvoyer l'invitation" to several people at once, from the selection of the users list."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..i18n import gettext as _, ngettext
from ..security.access import admin_required
from . import invitations
from .blueprint import bp
from .context import CHANGE_USERS, current_organization


@bp.route("/users/invitations", methods=["POST"])
@admin_required(*CHANGE_USERS)
def resend_selected_invitations() -> ResponseReturnValue:
    # Back to the list as it was (search, filters, page): only its query string is kept, never another address.
    # The CSRF token is checked by the application for every POST (CSRFProtect) before this runs.
    # "_external" and the like are url_for's own options, not the list's: dropped.
    list_args: dict[str, Any] = {key: value for key, value in parse_qsl(request.form.get("list_query", "")[:1000])
                                 if not key.startswith("_")}
    back = url_for("admin.users", **list_args)
    selected = request.form.getlist("user", type=int)
    if not selected:
        flash(_("Select the people to send the invitation to."), "error")
        return redirect(back)
    sent, skipped = invitations.resend_selected(current_organization(), selected)
    if sent:
        flash(ngettext("Invitation resent to %(num)d person.", "Invitations resent to %(num)d people.", len(sent)),
              "success")
    if skipped:
        flash(ngettext("%(num)d person was skipped: their account is already active or no longer exists.",
                       "%(num)d people were skipped: their accounts are already active or no longer exist.",
                       skipped), "info")
    return redirect(back)
