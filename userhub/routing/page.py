"""What a page needs to show "Where will my call go?" for one user: the panel for the call of the
GET form (default: a call from outside, now), the form, and the overview's warnings.

    return render_template(..., **routing_context(user, request.args))

and in the template ``{% include "routing/_section.html" %}``, with ``routing_head()`` in its head block."""

from __future__ import annotations

from typing import Any

from ..calling.numbers import region_of
from ..i18n import gettext as _
from ..timeutil import utcnow
from .forms import TryCallForm
from .loops import destinations, overview_warnings
from .mapper import resolve_targets, routing_settings_for, time_zone_of
from .messages import warning_text
from .panel import build_panel


def routing_context(user: Any, args: Any, *, reader_is_owner: bool = True, snapshot: Any = None) -> dict[str, Any]:
    """``reader_is_owner=False`` (an administrator reads someone else's routing): the heading and the
    form speak about the user by name instead of "my". ``snapshot``: the page's ``calling.services.load``.
    Queries: the mapper's (voicemail, schedules when rules have some) and one for the owners of the
    destinations (when there are some)."""
    region = region_of(user)
    settings = routing_settings_for(user, snapshot)
    now = utcnow()
    form = TryCallForm(args, region=region)
    heading = _("Where will my call go?")
    name = None
    if not reader_is_owner:
        name = user.name_for_display
        heading = _("Where will calls to %(name)s go?", name=name)
        form.on_call.label.text = _("%(name)s is already on a call", name=name)
        form.unreachable.label.text = _("The phone of %(name)s is off or disconnected", name=name)
    panel = build_panel(settings, form, time_zone_of(user), region, now, owner=name)
    directory = resolve_targets(user.organization_id, (edge.target for edge in destinations(settings))).directory()
    warnings = [warning_text(warning, region) for warning in overview_warnings(settings, directory, now)]
    # names that differ from the macros of routing/_panel.html, which a template imports
    return {"route_panel": panel, "route_form": form, "route_warnings": warnings, "route_heading": heading,
            "route_owner": name}
