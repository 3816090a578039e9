"""Opening an activation or password-reset link as a browser does."""

from __future__ import annotations

from typing import Any


def open_link(client: Any, link: str) -> str:
    """Click the link: its first hop keeps the token in the session and sends the browser on (303) to the
    form's own address, which holds no token. Returns that address (``/activate``, ``/password/reset``)."""
    response = client.get(link)
    assert response.status_code == 303, (link, response.status_code)
    form = response.headers["Location"]
    assert form in ("/activate", "/password/reset") and link.rsplit("/", 1)[1] not in form, form
    return str(form)
