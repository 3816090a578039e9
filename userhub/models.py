"""Every model, imported in one place so that Alembic and the tests see the whole schema."""

from .accounts.models import AccountToken, AdminRole, TokenPurpose, User, UserSession, UserStatus
from .mail.models import OutboxMessage
from .organizations.models import ActivationEmails, Location, Organization, Package, PhoneNumber

__all__ = [
    "AccountToken",
    "ActivationEmails",
    "AdminRole",
    "Location",
    "Organization",
    "OutboxMessage",
    "Package",
    "PhoneNumber",
    "TokenPurpose",
    "User",
    "UserSession",
    "UserStatus",
]
