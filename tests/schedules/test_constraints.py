"""The database itself keeps the rules the services check: one owner, names unique per owner."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from userhub.extensions import db
from userhub.schedules.models import Schedule


def _refused(*schedules: Schedule) -> None:
    db.session.add_all(schedules)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_schedule_has_exactly_one_owner_and_a_name_unique_for_it(app, user, organization) -> None:
    location = organization.locations[0]
    _refused(Schedule(name="Both", type="holidays", user_id=user.id, location_id=location.id))
    _refused(Schedule(name="Nobody", type="holidays"))
    _refused(Schedule(name="Twice", type="holidays", user_id=user.id),
             Schedule(name="Twice", type="business_hours", user_id=user.id))
    # The same name for a person and for their location is fine: each owner has its own names.
    db.session.add_all([Schedule(name="Same", type="holidays", user_id=user.id),
                        Schedule(name="Same", type="holidays", location_id=location.id)])
    db.session.commit()
    assert db.session.query(Schedule).count() == 2
