"""The accounts area's blueprint, and nothing that needs its views: the view modules import ``bp`` and
attach their routes to it, and the wiring (``web.py``) imports them, so that imports run one way and
importing the area's models or services never loads its views."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
