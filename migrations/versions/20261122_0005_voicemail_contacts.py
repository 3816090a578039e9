"""voicemail settings, greetings, PIN history; speed dials and contacts

Revision ID: 0005_voicemail_contacts
Revises: 0004_schedules
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_voicemail_contacts'
down_revision = '0004_schedules'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('voicemail_organization_settings',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('fax_messaging_allowed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_voicemail_organization_settings_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_voicemail_organization_settings'))
    )
    op.create_table('voicemail_greetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('audio', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('busy', 'no_answer')", name=op.f('ck_voicemail_greetings_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_voicemail_greetings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voicemail_greetings')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_voicemail_greetings_user_id_kind'))
    )
    op.create_table('voicemail_pins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pin_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_voicemail_pins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voicemail_pins'))
    )
    with op.batch_alter_table('voicemail_pins', schema=None) as batch_op:
        batch_op.create_index('ix_voicemail_pins_user_created', ['user_id', 'created_at'], unique=False)

    op.create_table('voicemail_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('send_all_calls', sa.Boolean(), nullable=False),
    sa.Column('send_busy_calls', sa.Boolean(), nullable=False),
    sa.Column('busy_greeting', sa.String(length=10), nullable=False),
    sa.Column('send_unanswered_calls', sa.Boolean(), nullable=False),
    sa.Column('unanswered_rings', sa.Integer(), nullable=False),
    sa.Column('no_answer_greeting', sa.String(length=10), nullable=False),
    sa.Column('notifications_enabled', sa.Boolean(), nullable=False),
    sa.Column('notification_email', sa.String(length=254), nullable=False),
    sa.Column('email_copy_enabled', sa.Boolean(), nullable=False),
    sa.Column('email_copy_address', sa.String(length=254), nullable=False),
    sa.Column('transfer_enabled', sa.Boolean(), nullable=False),
    sa.Column('transfer_number', sa.String(length=16), nullable=False),
    sa.Column('storage', sa.String(length=10), nullable=False),
    sa.Column('external_email', sa.String(length=254), nullable=False),
    sa.Column('fax_enabled', sa.Boolean(), nullable=False),
    sa.Column('fax_number', sa.String(length=16), nullable=False),
    sa.Column('fax_extension', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("NOT fax_enabled OR fax_number <> ''", name=op.f('ck_voicemail_settings_fax_number')),
    sa.CheckConstraint("NOT transfer_enabled OR transfer_number <> ''", name=op.f('ck_voicemail_settings_transfer_number')),
    sa.CheckConstraint("busy_greeting IN ('default', 'custom')", name=op.f('ck_voicemail_settings_busy_greeting')),
    sa.CheckConstraint("no_answer_greeting IN ('default', 'custom')", name=op.f('ck_voicemail_settings_no_answer_greeting')),
    sa.CheckConstraint("storage = 'internal' OR external_email <> ''", name=op.f('ck_voicemail_settings_external_email')),
    sa.CheckConstraint("storage IN ('internal', 'external')", name=op.f('ck_voicemail_settings_storage')),
    sa.CheckConstraint('unanswered_rings BETWEEN 2 AND 20', name=op.f('ck_voicemail_settings_rings')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_voicemail_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_voicemail_settings'))
    )


def downgrade():
    op.drop_table('voicemail_settings')
    with op.batch_alter_table('voicemail_pins', schema=None) as batch_op:
        batch_op.drop_index('ix_voicemail_pins_user_created')

    op.drop_table('voicemail_pins')
    op.drop_table('voicemail_greetings')
    op.drop_table('voicemail_organization_settings')
