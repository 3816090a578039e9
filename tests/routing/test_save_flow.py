"""Routing plugs into calling's save flow: the loop check and the forwarding graph share one
computation of the destinations being saved, and calling refuses the save through its own contract."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from userhub.calling import hooks, registry, services
from userhub.extensions import db
from userhub.routing import loop_check
from userhub.routing.models import CallingEdge


def test_a_save_computes_the_proposed_destinations_once(jane, john, monkeypatch):  # type: ignore[no-untyped-def]
    computed = []
    real = loop_check.proposed_destinations

    def counting(*args):  # type: ignore[no-untyped-def]
        computed.append(args[0].key)
        return real(*args)

    monkeypatch.setattr(loop_check, "proposed_destinations", counting)
    feature = registry.get("call-forwarding")
    services.save(john, feature, feature.Values(always_enabled=True, always_destination="3200"), [], 0, actor=john)
    db.session.commit()
    assert computed == ["call-forwarding"]
    edges = db.session.scalars(select(CallingEdge.target).where(CallingEdge.user_id == john.id)).all()
    assert edges == ["3200"]  # the after-save hook wrote the graph from the same computation


def test_a_loop_is_refused_through_callings_own_exception(jane, john):  # type: ignore[no-untyped-def]
    feature = registry.get("call-forwarding")
    services.save(jane, feature, feature.Values(always_enabled=True, always_destination="3201"), [], 0, actor=jane)
    db.session.commit()
    with pytest.raises(hooks.SaveRefused) as refused:
        services.save(john, feature, feature.Values(always_enabled=True, always_destination="3200"), [], 0,
                      actor=john)
    assert isinstance(refused.value, loop_check.SaveWouldLoop)
    assert "3200" in refused.value.message
