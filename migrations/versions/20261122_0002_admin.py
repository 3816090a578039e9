"""admin: audit log, package history for billing, import jobs

Revision ID: 0002_admin
Revises: 0001_foundation
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_admin'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('admin_audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_admin_audit_events_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_audit_events'))
    )
    with op.batch_alter_table('admin_audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_admin_audit_org_created', ['organization_id', 'created_at'], unique=False)

    op.create_table('admin_package_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('user_email', sa.String(length=254), nullable=False),
    sa.Column('user_name', sa.String(length=201), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_admin_package_assignments_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['packages.id'], name=op.f('fk_admin_package_assignments_package_id_packages'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_package_assignments'))
    )
    with op.batch_alter_table('admin_package_assignments', schema=None) as batch_op:
        batch_op.create_index('ix_admin_package_org_period', ['organization_id', 'started_at', 'ended_at'], unique=False)
        batch_op.create_index('ix_admin_package_user_open', ['user_id', 'ended_at'], unique=False)

    op.create_table('admin_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('import', 'invitations')", name=op.f('ck_admin_jobs_kind')),
    sa.CheckConstraint("status IN ('pending', 'running', 'done')", name=op.f('ck_admin_jobs_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_admin_jobs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_admin_jobs_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_jobs'))
    )
    with op.batch_alter_table('admin_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_jobs_organization_id'), ['organization_id'], unique=False)

    op.create_table('admin_partner_organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_admin_partner_organizations_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_admin_partner_organizations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_partner_organizations')),
    sa.UniqueConstraint('user_id', 'organization_id', name=op.f('uq_admin_partner_organizations_user_id_organization_id'))
    )
    with op.batch_alter_table('admin_partner_organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_partner_organizations_organization_id'), ['organization_id'], unique=False)



    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_admin_users_org_first_lower', ['organization_id', sa.text('lower(first_name)')], unique=False)
        batch_op.create_index('ix_admin_users_org_last_lower', ['organization_id', sa.text('lower(last_name)')], unique=False)
        batch_op.create_index('ix_admin_users_org_location_name', ['organization_id', 'location_id', 'last_name', 'first_name'], unique=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_admin_users_org_location_name')
        batch_op.drop_index('ix_admin_users_org_last_lower')
        batch_op.drop_index('ix_admin_users_org_first_lower')
    with op.batch_alter_table('admin_partner_organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_partner_organizations_organization_id'))

    op.drop_table('admin_partner_organizations')
    with op.batch_alter_table('admin_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_jobs_organization_id'))

    op.drop_table('admin_jobs')
    with op.batch_alter_table('admin_package_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_admin_package_user_open')
        batch_op.drop_index('ix_admin_package_org_period')

    op.drop_table('admin_package_assignments')
    with op.batch_alter_table('admin_audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_admin_audit_org_created')

    op.drop_table('admin_audit_events')
