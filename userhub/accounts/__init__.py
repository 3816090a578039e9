"""Accounts: activation, sign-in, password reset and change, display name, language, home page."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import views  # noqa: E402,F401  (routes attach to bp)
