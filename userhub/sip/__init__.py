"""SIP: the call decision a SIP proxy (Kamailio, see kamailio/) asks for each incoming call, the SIP
servers allowed to ask, and people's SIP credentials (devices)."""

from flask import Blueprint

# `flask sip-server add|rotate|list|remove` (cli.py)
bp = Blueprint("sip", __name__, cli_group="sip-server")

from . import cli, views  # noqa: F401  (routes and commands attach to bp)
