"""Tables of the routing area (imported by userhub.models so that Alembic sees them).

``calling_edges`` holds the forwarding graph the loop check at save follows: one row per destination a
user's settings send or ring calls to (``loops.destinations`` of the saved values, voicemail excluded),
replaced by ``loop_check.save_edges`` in the transaction that saves the setting. It keeps the
destination as saved, not who has it: numbers are reassigned, extensions change and people are deleted
without the settings of those who forward to them being saved again, so the owner is found when the
graph is read (``graph_sql``)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
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

    __table_args__ = (
        # the edges of the people a breadth-first round reaches; replacing one user's edges on save
        Index("ix_calling_edges_org_user", "organization_id", "user_id", "feature"),
        # who leads to a person (their extension, their numbers): the loop check's read of the whole graph
        Index("ix_calling_edges_org_target", "organization_id", "target", "user_id"),
        # the database's cascade when a user is deleted
        Index("ix_calling_edges_user", "user_id"),
        CheckConstraint("feature IN (" + ", ".join(f"'{kind.value}'" for kinds in EDGE_KINDS.values()
                                                   for kind in kinds) + ")", name="feature"),
    )
