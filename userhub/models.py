"""Every model, imported in one place so that Alembic and the tests see the whole schema."""

from .accounts.models import AccountToken, AdminRole, TokenPurpose, User, UserSession, UserStatus
from .mail.models import OutboxMessage
from .organizations.models import ActivationEmails, Location, Organization, Package, PhoneNumber

# The tables of each area of the product, after the foundation ones they refer to.
from .admin import models as _admin_models  # noqa: F401
from .calling import models as _calling_models  # noqa: F401
from .contacts import models as _contacts_models  # noqa: F401
from .routing import models as _routing_models  # noqa: F401
from .schedules import models as _schedules_models  # noqa: F401
from .sip import models as _sip_models  # noqa: F401
from .voicemail import models as _voicemail_models  # noqa: F401

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
