"""What the routing evaluator needs from voicemail, read without creating anything.

The field names are those of ``userhub.routing.inputs.Voicemail`` so that a mapper can write
``Voicemail(**asdict(voicemail_for_routing(user_id)))``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..extensions import db
from .models import DEFAULT_RINGS, VoicemailSettings


@dataclass(frozen=True)
class VoicemailForRouting:
    enabled: bool = True  # a user who never opened the page has the defaults of reference section 18
    send_all: bool = False
    send_busy: bool = False
    send_unanswered: bool = True
    rings: int = DEFAULT_RINGS  # 2-20, rings before an unanswered call goes to voicemail


def voicemail_for_routing(user_id: int) -> VoicemailForRouting:
    return voicemail_of_row(db.session.get(VoicemailSettings, user_id))


def voicemail_of_row(settings: VoicemailSettings | None) -> VoicemailForRouting:
    """From the row a caller has read already (None: the person never saved voicemail settings)."""
    if settings is None:
        return VoicemailForRouting()
    return VoicemailForRouting(settings.enabled, settings.send_all_calls, settings.send_busy_calls,
                               settings.send_unanswered_calls, settings.unanswered_rings)
