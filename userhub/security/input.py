"""Refuse request bodies the application cannot read faithfully.

Werkzeug silently drops or rewrites form fields that are not valid UTF-8 (raw bytes vanish, percent-escapes are
kept literally, multipart bytes become U+FFFD). A person would then see their input changed without a word, so
such requests are refused with a clear 400 instead, and unexpected content types with a 415.
A body cut short (fewer bytes than announced, or a multipart body without its closing boundary) and a
field longer than any form of the product accepts (``USERHUB_MAX_FIELD_LENGTH``) are refused too, before
any view runs, so that no route can half-act on them. Bodies over ``MAX_CONTENT_LENGTH`` get a 413 even
on views that never read their form, whatever the transfer encoding: a chunked body (no Content-Length) is
read here with that bound, so the checks below see it exactly as they see any other body.
A NUL character (U+0000) in a path, a query string or a form is refused like invalid UTF-8: no text a
person types contains one, and PostgreSQL's text cannot store it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from ..i18n import lazy_gettext as _l

_FLAG = "userhub.invalid_encoding"
_TRUNCATED = "userhub.truncated_body"
_TOO_LARGE = "userhub.body_too_large"
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class InvalidEncoding(BadRequest):
    description = _l("The form contains characters that could not be read. Please type them again.")  # type: ignore[assignment]


class TruncatedBody(BadRequest):
    description = _l("The form arrived incomplete. Please send it again.")  # type: ignore[assignment]


class FieldTooLong(BadRequest):
    description = _l("A field is far longer than this form accepts. Please shorten it and send it again.")  # type: ignore[assignment]


class UnexpectedContentType(UnsupportedMediaType):
    description = _l("This kind of content is not accepted here. Please send the form from the page.")  # type: ignore[assignment]


def _valid_utf8(encoded: bytes) -> bool:
    """Every name and value of a URL-encoded string is UTF-8 without NUL, once percent-decoded."""
    for pair in encoded.split(b"&"):
        for part in pair.split(b"=", 1):
            decoded = unquote_to_bytes(part.replace(b"+", b" "))
            if b"\x00" in decoded:
                return False
            try:
                decoded.decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True


def _read_chunked(environ: dict[str, Any], limit: int | None) -> None:
    """A body without Content-Length (``Transfer-Encoding: chunked``; the server de-chunks it and sets
    ``wsgi.input_terminated``): read it here, at most ``limit`` bytes, and hand it on with its length,
    so that the size, type and encoding checks hold for it too. Over the limit: a 413 before any view."""
    stream = environ["wsgi.input"]
    if limit is None:
        body = stream.read()
    else:
        body = stream.read(limit + 1)
        if len(body) > limit:
            environ[_TOO_LARGE] = True
            body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("wsgi.input_terminated", None)
    environ.pop("HTTP_TRANSFER_ENCODING", None)


def _chunked(environ: dict[str, Any]) -> bool:
    encoding = environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return not environ.get("CONTENT_LENGTH") and ("chunked" in encoding or "wsgi.input_terminated" in environ)


class StrictDecoding:
    """WSGI middleware: checks URL-encoded bodies and query strings before Werkzeug parses them."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], config: Mapping[str, Any]) -> None:
        self.wsgi_app = wsgi_app
        self.config = config  # read at each request: the limit is the app's current MAX_CONTENT_LENGTH

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        max_length = self.config.get("MAX_CONTENT_LENGTH")
        if not _valid_utf8(environ.get("QUERY_STRING", "").encode("latin-1")) or "\x00" in environ.get("PATH_INFO", ""):
            environ[_FLAG] = True
        if environ.get("REQUEST_METHOD", "GET").upper() in _BODY_METHODS and _chunked(environ):
            _read_chunked(environ, max_length)
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if content_type in _FORM_TYPES and 0 < length <= (max_length or length):
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            if len(body) < length or (content_type == "multipart/form-data" and not _complete_multipart(environ, body)):
                environ[_TRUNCATED] = True
            elif content_type == "application/x-www-form-urlencoded" and not _valid_utf8(body):
                environ[_FLAG] = True
        return self.wsgi_app(environ, start_response)


def _complete_multipart(environ: dict[str, Any], body: bytes) -> bool:
    """A multipart body ends with ``--boundary--``; without it, Werkzeug silently drops the last field."""
    for parameter in environ.get("CONTENT_TYPE", "").split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "boundary":
            closing = b"--" + value.strip('"').encode("latin-1") + b"--"
            return body.rstrip(b"\r\n").endswith(closing)
    return False


def _check_request() -> None:
    if request.environ.get(_FLAG):
        raise InvalidEncoding()
    if request.environ.get(_TOO_LARGE):
        raise RequestEntityTooLarge()
    if request.method in _BODY_METHODS and request.content_length:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and request.content_length > limit:
            raise RequestEntityTooLarge()
        if request.mimetype not in _FORM_TYPES:
            raise UnexpectedContentType()
        if request.environ.get(_TRUNCATED):
            raise TruncatedBody()
        if request.mimetype == "multipart/form-data" and any(
            "\ufffd" in v or "\x00" in v or "\x00" in k for k, v in request.form.items(multi=True)
        ):
            raise InvalidEncoding()
        longest = current_app.config.get("USERHUB_MAX_FIELD_LENGTH")
        if longest and any(len(value) > longest for _, value in request.form.items(multi=True)):
            raise FieldTooLong()


def init_app(app: Flask) -> None:
    app.wsgi_app = StrictDecoding(app.wsgi_app, app.config)  # type: ignore[method-assign]
    # First of all checks: CSRF protection reads the form too.
    app.before_request_funcs.setdefault(None, []).insert(0, _check_request)
