"""The SIP area's blueprint, and nothing that needs its views: the view and command modules import ``bp``
and attach their routes and commands to it, and the wiring (``web.py``) imports them, so that imports run
one way and importing the area's models or services never loads its views."""

from flask import Blueprint

from .asking import no_web_session

# `flask sip-server add|rotate|list|remove` (cli.py)
bp = Blueprint("sip", __name__, cli_group="sip-server")

bp.before_request(no_web_session)  # SIP servers' questions: no web session to look up
