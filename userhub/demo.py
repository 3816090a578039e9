"""Demo data: one organization with two locations, a few people, an administrator and a pending invitation."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from sqlalchemy import select

from . import unit_of_work
from .accounts import services as account_services
from .accounts.models import AdminRole, User, UserStatus
from .accounts.provisioning import create_user
from .extensions import db
from .organizations.models import Organization, PhoneNumber
from .organizations.services import add_numbers, create_location, create_organization, ensure_package
from .phones import number_range
from .security.hashing import hash_password
from .timeutil import utcnow

DEMO_ORGANIZATION = "Example Corp"
ADMIN_EMAIL = "admin@example.com"
PENDING_EMAIL = "camille.martin@example.com"


@dataclass(frozen=True)
class DemoAccess:
    admin_email: str
    admin_password: str
    pending_email: str
    activation_url: str


def generate_password() -> str:
    """A random password that meets the policy (four character classes, 20 characters)."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(16))
    return core + secrets.choice(string.ascii_uppercase) + secrets.choice(string.ascii_lowercase) + \
        secrets.choice(string.digits) + secrets.choice("!#%+-=?@")


def _number(e164: str) -> PhoneNumber:
    return db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == e164))  # type: ignore[return-value]


def seed() -> Organization:
    """Create the demo organization once; later calls return it unchanged."""
    existing = db.session.scalar(select(Organization).where(Organization.name == DEMO_ORGANIZATION))
    if existing is not None:
        return existing
    with unit_of_work.committing():
        return _create_demo_organization()


def _create_demo_organization() -> Organization:
    suite = ensure_package("webex_suite", "Webex Suite")
    calling = ensure_package("webex_calling", "Webex Calling")
    org = create_organization(DEMO_ORGANIZATION, "https://example-corp.userhub.example.com")
    it = create_location(org, "IT division", "FR", "Europe/Paris")
    hq = create_location(org, "Our Headquarter", "FR", "Europe/Paris")
    add_numbers(it, number_range("+33 1 84 88 32 00", "+33 1 84 88 32 19", "FR"))
    add_numbers(hq, number_range("+33 4 72 10 45 00", "+33 4 72 10 45 09", "FR"))
    now = utcnow()
    people = [
        (ADMIN_EMAIL, "Alex", "Admin", suite, it, "+33184883200", "3200", AdminRole.FULL),
        ("julien.rouchon@example.com", "Julien", "Rouchon", suite, it, "+33184883201", "3201", AdminRole.FULL),
        ("lea.dupont@example.com", "Léa", "Dupont", calling, hq, "+33472104500", "4500", None),
    ]
    for email, first, last, package, location, number, extension, role in people:
        user = create_user(org, email, first_name=first, last_name=last, package=package, location=location,
                           phone_number=_number(number), extension=extension, admin_role=role, locale="fr")
        user.display_name = f"{first} {last}"
        user.status = UserStatus.ACTIVE.value
        user.activated_at = now
        user.password_hash = hash_password(generate_password())
    create_user(org, PENDING_EMAIL, first_name="Camille", last_name="Martin", package=calling, location=it,
                phone_number=_number("+33184883211"), extension="3211", locale="fr")
    return org


def prepare_access() -> DemoAccess:
    """Give the demo administrator a fresh password and the pending user a fresh invitation."""
    seed()
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    pending = db.session.scalar(select(User).where(User.email == PENDING_EMAIL))
    assert admin is not None and pending is not None
    password = generate_password()
    activation_url = ""
    with unit_of_work.committing():
        admin.password_hash = hash_password(password)
        if pending.status == UserStatus.INVITED:
            issued = account_services.send_invitation(pending)
            activation_url = account_services.public_url("accounts.activation_link", token=issued.raw)
    return DemoAccess(ADMIN_EMAIL, password, PENDING_EMAIL, activation_url)
