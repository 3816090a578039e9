"""admin_jobs.parent_id: the job that queued this one (an import's invitations), for the import's progress

Revision ID: 0009_job_parent
Revises: 0008_users_list_keyset
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_job_parent'
down_revision = '0008_users_list_keyset'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('admin_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_admin_jobs_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_admin_jobs_parent_id_admin_jobs'), 'admin_jobs', ['parent_id'],
                                    ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('admin_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_admin_jobs_parent_id_admin_jobs'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_admin_jobs_parent_id'))
        batch_op.drop_column('parent_id')
