"""admin_audit_events.params: what an audit entry recorded, as data (JSON), written as a sentence when read

Entries written before keep their English text in ``details`` (params stays NULL) and show it as it is.

Revision ID: 0012_audit_params
Revises: 0011_organization_name_unique
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_audit_params'
down_revision = '0011_organization_name_unique'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('admin_audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('admin_audit_events', schema=None) as batch_op:
        batch_op.drop_column('params')
