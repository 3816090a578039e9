"""Deleting a user ("Supprimer l'utilisateur").

The row goes; the database does the rest in the same transaction: sessions and links (so the
person is signed out at once and can neither sign in nor activate), every per-user table of the
other areas (ON DELETE CASCADE), and the number returns to the pool (ON DELETE SET NULL). The
extension was a column of the user, so it is free again. The package history is kept for billing
(closed by the billing listener).
"""

from __future__ import annotations

from ..accounts.models import User
from ..errors import DomainError
from ..extensions import db
from ..i18n import gettext as _
from ..accounts.sessions import end_all_sessions
from . import audit


class DeletionRefused(DomainError, ValueError):
    """Deleting this account is refused (the message says why)."""


def delete_user(user: User, actor: User) -> None:
    if user.id == actor.id:
        raise DeletionRefused(_("You cannot delete your own account."))
    organization = user.organization
    audit.record(organization, "user.deleted", user.email,
                 {"number": user.phone_number.e164 if user.phone_number else None, "extension": user.extension})
    end_all_sessions(user)
    db.session.delete(user)
    db.session.flush()
