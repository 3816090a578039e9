"""How the routing area plugs into the calling area, at app set-up: calling never imports routing."""

from __future__ import annotations

from flask import Flask

from ..calling import hooks
from . import loop_check
from .page import routing_context


def init_app(_app: Flask) -> None:
    hooks.register_save_guard(loop_check.guard)
    hooks.register_after_save(loop_check.after_save)
    hooks.register_overview_section(routing_context)
