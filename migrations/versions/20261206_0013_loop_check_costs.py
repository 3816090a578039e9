"""calling_edges: an index on (organization_id, target, user_id) for the loop check's read of the whole graph

When a search reaches far, the loop check reads who leads to whom in the whole organization: it starts from
the organization's extensions and numbers and finds the edges to each in this index (one lookup per
extension or number, no visit of the table), instead of looking up the owner of each edge's target.

Revision ID: 0013_loop_check_costs
Revises: 0012_audit_params
Create Date: 2026-12-06

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_loop_check_costs'
down_revision = '0012_audit_params'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_calling_edges_org_target', 'calling_edges', ['organization_id', 'target', 'user_id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_calling_edges_org_target', table_name='calling_edges')
