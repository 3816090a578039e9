"""userhub: a self-hosted User Hub for hosted business telephony."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: configuration, extensions, blueprints, errors, CLI; nothing else.

    The imports are inside the factory on purpose: ``import userhub.routing.evaluate`` (or any other
    module) imports this package first, and must not load Flask and every area with it."""
    from flask import Flask

    from .data import data_path

    app = Flask(__name__, template_folder=str(data_path("templates")), instance_relative_config=True)

    from . import config as config_module

    app.config.from_mapping(config_module.from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    config_module.validate(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    from . import web

    web.init_extensions(app)
    web.register_blueprints(app)
    web.register_error_handlers(app)

    from .cli import register_cli

    register_cli(app)

    if app.config["USERHUB_WARM_UP"] and not app.config.get("TESTING"):
        from .ops import warm_up

        warm_up(app)
    if app.config["USERHUB_MAIL_WORKER_THREAD"] and not app.config.get("TESTING"):
        from .mail.worker import start_thread

        start_thread(app)
    return app
