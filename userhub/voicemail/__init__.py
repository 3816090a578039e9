"""Settings > Calling > Voicemail: voicemail settings, greetings and the voicemail PIN."""

from flask import Blueprint

bp = Blueprint("voicemail", __name__)

from . import admin_views, views  # noqa: E402,F401  (routes attach to bp; admin_views: Administration > Voicemail)
