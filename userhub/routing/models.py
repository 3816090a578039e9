"""Tables of the routing area (imported by userhub.models so that Alembic sees them).

``calling_edges`` holds the forwarding graph the loop check at save follows: one row per destination a
user's settings send or ring calls to (``loops.destinations`` of the saved values, voicemail excluded),
replaced by ``loop_check.save_edges`` in the transaction that saves the setting. It keeps the
destination as saved (``target``) and who has it now (``to_user_id``): numbers are reassigned, extensions
change and people are deleted without the settings of those who forward to them being saved again, so the
database keeps ``to_user_id`` right itself, whoever writes (triggers and a foreign key, ``owner_sql``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, event, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from . import owner_sql
from .route import Feature

# The calling features whose settings are edges, with the routing features of the edges each one makes
# (executive: its rollover forward; its assistants are not followed, see MAPPING.md "Limits"). Saving one
# of them replaces the user's edges of these routing features.
EDGE_KINDS: dict[str, tuple[Feature, ...]] = {
    "call-forwarding": (Feature.FORWARD_ALWAYS, Feature.FORWARD_BUSY, Feature.FORWARD_NO_ANSWER,
                        Feature.BUSINESS_CONTINUITY),
    "selective-forward": (Feature.SELECTIVE_FORWARD,),
    "simultaneous-ring": (Feature.SIMULTANEOUS_RING,),
    "sequential-ring": (Feature.SEQUENTIAL_RING,),
    "single-number-reach": (Feature.SINGLE_NUMBER_REACH,),
    "executive": (Feature.EXECUTIVE_FILTERING,),
}


class CallingEdge(Model):
    """A destination of one user's forwarding or ringing: ``user_id``'s calls go to whoever has ``target``."""

    __tablename__ = "calling_edges"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The owner's organization, so that a round reads one organization's edges by index.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    # Deleting a user deletes their edges (the database does it, whoever deletes).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    feature: Mapped[str] = mapped_column(String(40))  # a routing.route.Feature value, e.g. "forward_busy"
    target: Mapped[str] = mapped_column(String(40))  # E.164 number or extension, exactly as saved
    # Who has ``target`` now (``owner_sql.owner_of``), NULL when nobody of the organization does: written
    # with the edge, then kept by the database's triggers; a person deleted sets it NULL.
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)

    __table_args__ = (
        # the edges of the people a forward round reaches; replacing one user's edges on save; the whole
        # graph's (user_id, to_user_id) pairs, grouped by person, read from the index alone
        Index("ix_calling_edges_org_user", "organization_id", "user_id", "to_user_id"),
        # the edges to a destination: the triggers that compute their owner again when it changes hands
        Index("ix_calling_edges_org_target", "organization_id", "target", "user_id"),
        # who leads to a person (a backward round, from the index alone); the foreign key's SET NULL and
        # the triggers' "edges whose owner was ..." (to_user_id is a person of the edge's organization)
        Index("ix_calling_edges_to_user", "to_user_id", "organization_id", "user_id"),
        # the database's cascade when a user is deleted
        Index("ix_calling_edges_user", "user_id"),
        CheckConstraint("feature IN (" + ", ".join(f"'{kind.value}'" for kinds in EDGE_KINDS.values()
                                                   for kind in kinds) + ")", name="feature"),
    )


# ``create_all`` (tests, benches, the demo's first run) makes the owner's triggers once every table exists
# (they are on users, phone_numbers and locations and write calling_edges); migration 0015 makes the same
# ones for ``db upgrade``. ``drop_all`` drops them first (PostgreSQL's trigger functions outlive tables).
def _run_statements(statements_of: Any) -> Any:
    def run(_metadata: Any, connection: Any, tables: Any = (), **_kw: Any) -> None:
        if CallingEdge.__table__ in tables:
            for statement in statements_of(connection.dialect.name):
                connection.execute(text(statement))
    return run


event.listen(CallingEdge.metadata, "after_create", _run_statements(owner_sql.create_statements))
event.listen(CallingEdge.metadata, "before_drop", _run_statements(owner_sql.drop_statements))
