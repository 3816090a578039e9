"""sip: SIP servers allowed to ask for call decisions, and people's SIP accounts (digest HA1)

Revision ID: 0010_sip
Revises: 0009_job_parent
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_sip'
down_revision = '0009_job_parent'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sip_servers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('rotated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sip_servers')),
        sa.UniqueConstraint('name', name=op.f('uq_sip_servers_name')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_sip_servers_token_hash')),
    )
    op.create_table(
        'sip_accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('sip_user', sa.String(length=64), nullable=False),
        sa.Column('realm', sa.String(length=128), nullable=False),
        sa.Column('ha1', sa.String(length=32), nullable=False),
        sa.Column('ha1b', sa.String(length=32), nullable=False),
        sa.Column('password_set_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sip_accounts_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sip_accounts')),
        sa.UniqueConstraint('sip_user', name=op.f('uq_sip_accounts_sip_user')),
        sa.UniqueConstraint('user_id', name=op.f('uq_sip_accounts_user_id')),
    )


def downgrade():
    op.drop_table('sip_accounts')
    op.drop_table('sip_servers')
