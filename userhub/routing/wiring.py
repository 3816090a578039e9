"""How the routing area plugs into the calling and admin areas, at app set-up: neither imports routing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from ..accounts.models import User
from ..admin import hooks as admin_hooks
from ..calling import hooks
from . import loop_check
from .page import routing_context


def init_app(_app: Flask) -> None:
    hooks.register_save_guard(loop_check.guard)
    hooks.register_after_save(loop_check.after_save)
    hooks.register_overview_section(routing_context)
    admin_hooks.register_user_page_section(_for_the_administrator)


def _for_the_administrator(user: User, args: Mapping[str, str]) -> dict[str, Any]:
    """An administrator's page of a user: the panel speaks about the user by name."""
    return routing_context(user, args, reader_is_owner=False)
