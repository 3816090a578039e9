"""Administration > Voicemail: what the organization allows its users in voicemail (fax messaging).

Every administrator sees the setting; only full administrators change it (organization settings, like
/admin/settings). The employee page and the service both read the same row (services.fax_allowed)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..admin.context import FULL_ONLY, current_organization
from ..i18n import gettext as _
from ..security.access import admin_required
from . import services
from .blueprint import bp
from .forms import FaxMessagingForm



@bp.route("/admin/voicemail", methods=["GET", "POST"])
@admin_required(change=FULL_ONLY)  # an organization setting, like /admin/settings
def admin() -> ResponseReturnValue:
    organization = current_organization()
    allowed = services.organization_allows_fax(organization.id)
    # On POST only what was sent counts: an unchecked box is absent, and a form with nothing else in it
    # must not fall back to the stored value.
    form = FaxMessagingForm() if request.method == "POST" else FaxMessagingForm(fax_messaging_allowed=allowed)
    if form.validate_on_submit():  # admin_required already refused a POST from anyone but a full administrator
        services.set_fax_messaging(organization, bool(form.fax_messaging_allowed.data))
        flash(_("The voicemail settings of the organization are saved."), "success")
        return redirect(url_for(".admin"))
    can_change = current_user.admin_role in FULL_ONLY
    return render_template("voicemail/admin.html", form=form if can_change else None, allowed=allowed,
                           organization=organization), 400 if form.errors else 200
