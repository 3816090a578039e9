"""Sample objects for the contacts area's URL placeholders (see tests/security/routes.py): each person's own."""

from __future__ import annotations

from itertools import count

from tests.security.routes import Built, sample

_codes = count(10)


@sample("contact_id", personal=True)
def contact(built: Built) -> int:
    from userhub.contacts import services

    return services.save_contact(built.owner, "Bob Sample", [services.NumberInput("work", "+33184883200")]).id


@sample("speed_dial_id", personal=True)
def speed_dial(built: Built) -> int:
    from userhub.contacts import speed_dials

    # The next code this person does not use yet: a counter alone wraps after 90 samples (the crawler makes more
    # in one run) and then met a code the seeded person already had ("You already use code 01").
    from sqlalchemy import select

    from userhub.contacts.models import SpeedDial
    from userhub.extensions import db

    used = set(db.session.scalars(select(SpeedDial.code).where(SpeedDial.user_id == built.owner.id)))
    start = next(_codes)
    code = next((start + step) % 100 for step in range(100) if (start + step) % 100 not in used)
    return speed_dials.add_speed_dial(built.owner, f"{code:02d}", "+33184883200", "Sample").id
