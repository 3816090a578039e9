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

    return speed_dials.add_speed_dial(built.owner, f"{next(_codes) % 100:02d}", "+33184883200", "Sample").id
