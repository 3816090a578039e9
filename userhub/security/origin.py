"""Cross-site request forgery: the session-bound token (Flask-WTF) and the browser's ``Origin``, and the
``Referrer-Policy`` that lets a browser say where a form comes from.

Flask-WTF's own https check (WTF_CSRF_SSL_STRICT) wants a same-origin ``Referer`` on every post. Pages whose
address carries a secret (activation and reset links) must send no referrer at all, and then the browser sends
neither a ``Referer`` nor a real ``Origin`` (``Origin: null``): that check refused every such form behind TLS.
So the token is checked by Flask-WTF, and where the request came from is checked here, on the ``Origin`` the
browser always sends with a post:

- an ``Origin`` other than this site's (the request's own scheme and host, or USERHUB_BASE_URL) is refused,
  whatever the token;
- ``Origin: null`` is what our own no-referrer pages cause: accepted only on the routes those pages post to
  (the token routes themselves, the language switch and sign-out), refused elsewhere;
- no ``Origin`` (clients that are not browsers, old browsers): a ``Referer``, if any, must be this site's;
  the token alone decides otherwise, as no browser that an attacker's page can drive omits ``Origin`` on a
  cross-site post.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from flask_wtf import CSRFProtect
from flask_wtf.csrf import CSRFError

# Pages whose URL holds a secret: no Referer may carry it anywhere, not even to this site's own logs.
TOKEN_PAGE_POLICY = "no-referrer"
# Everywhere else: full Referer to this site only, nothing to other sites; browsers then send a real Origin.
DEFAULT_POLICY = "same-origin"
# A URL variable with this name is a secret (``/activate/<token>``, ``/password/reset/<token>``).
SECRET_URL_ARGUMENT = "token"
# Where the forms of a no-referrer page post besides their own address: base.html's header (language switch, and
# sign-out for a signed-in person who opens an activation or reset link).
NULL_ORIGIN_ENDPOINTS = frozenset({"accounts.set_language", "accounts.sign_out"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an address, default ports made explicit; None when it is not an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def _site_origins() -> set[tuple[str, str, int]]:
    own = {_origin_of(request.host_url), _origin_of(current_app.config.get("USERHUB_BASE_URL", ""))}
    return {origin for origin in own if origin is not None}


def carries_secret_in_url() -> bool:
    """True for a request to a route whose address holds a secret token."""
    rule = request.url_rule
    return rule is not None and SECRET_URL_ARGUMENT in rule.arguments


def check_origin() -> None:
    """Refuse (CSRFError, the same 400 as a bad token) a state-changing request that another site sent."""
    origin = request.headers.get("Origin")
    if origin is not None:
        if origin.strip() == "null":
            if carries_secret_in_url() or request.endpoint in NULL_ORIGIN_ENDPOINTS:
                return
            raise CSRFError("The Origin header is null on a route no no-referrer page posts to.")
        if _origin_of(origin) not in _site_origins():
            raise CSRFError("The Origin header is another site's.")
        return
    referrer = request.headers.get("Referer")
    if referrer and _origin_of(referrer) not in _site_origins():
        raise CSRFError("The Referer header is another site's.")


class OriginCheckingCSRF(CSRFProtect):
    """Flask-WTF's token check, then the Origin check above (same exemptions, same error)."""

    def protect(self, *args: Any, **kwargs: Any) -> None:
        super().protect(*args, **kwargs)
        if g.get("csrf_valid"):  # the token was checked (not an exempt view, not a safe method)
            check_origin()


def _referrer_policy(response: Response) -> Response:
    response.headers["Referrer-Policy"] = TOKEN_PAGE_POLICY if carries_secret_in_url() else DEFAULT_POLICY
    return response


def init_app(app: Flask) -> None:
    """Call before flask-talisman is set up: Flask runs after-request functions in reverse order of
    registration, so this one runs after Talisman's and its per-page Referrer-Policy is the one sent."""
    # The Origin check replaces the Referer-based one, which cannot pass on no-referrer pages.
    app.config["WTF_CSRF_SSL_STRICT"] = False
    app.after_request(_referrer_policy)
