"""Demo mailbox: in demo mode, every queued email can be read in the browser (never in production)."""

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..extensions import db
from ..mail.models import OutboxMessage
from ..mail.outbox import deferred_asks
from ..security.access import public

bp = Blueprint("dev", __name__, url_prefix="/demo-mailbox")


@bp.get("/")
@public
def mailbox() -> ResponseReturnValue:
    messages = db.session.scalars(select(OutboxMessage).where(~deferred_asks())  # asks are not mails yet
                                  .order_by(OutboxMessage.id.desc()).limit(100)).all()
    return render_template("dev/mailbox.html", messages=messages)


@bp.get("/<int:message_id>")
@public
def message(message_id: int) -> ResponseReturnValue:
    row = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("dev/message.html", message=row)
