"""The SIP area's blueprint: made here, its routes and commands attached by importing views and cli.

Only ``web.register_blueprints`` imports this module, so that importing the area's models or services
never loads its views."""

from flask import Blueprint

# `flask sip-server add|rotate|list|remove` (cli.py)
bp = Blueprint("sip", __name__, cli_group="sip-server")

from . import cli, views, views_outgoing  # noqa: E402,F401  (routes and commands attach to bp)
from .asking import no_web_session  # noqa: E402

bp.before_request(no_web_session)  # SIP servers' questions: no web session to look up
