"""Sample values for the voicemail area's URL placeholders (see tests/security/routes.py)."""

from __future__ import annotations

import io
import wave

from tests.security.routes import Built, sample


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000)  # one second of silence
    return buffer.getvalue()


@sample("kind", under="/settings/calling/voicemail/", personal=True)
def greeting_kind(built: Built) -> str:
    """The busy greeting, uploaded by the person who opens the URL (so that playing it finds it)."""
    from userhub.voicemail import services
    from userhub.voicemail.models import GreetingKind

    services.upload_greeting(built.owner, GreetingKind.BUSY, "busy.wav", _wav())
    return GreetingKind.BUSY.value
