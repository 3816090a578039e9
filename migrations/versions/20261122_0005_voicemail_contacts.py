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
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("name <> ''", name=op.f('ck_contacts_name')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contacts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_user_name', ['user_id', 'name'], unique=False)

    op.create_table('speed_dials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.SmallInteger(), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=True),
    sa.Column('extension', sa.String(length=10), nullable=True),
    sa.Column('description', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(number IS NULL) <> (extension IS NULL)', name=op.f('ck_speed_dials_number_or_extension')),
    sa.CheckConstraint('code BETWEEN 0 AND 99', name=op.f('ck_speed_dials_code')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_speed_dials_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speed_dials')),
    sa.UniqueConstraint('user_id', 'code', name=op.f('uq_speed_dials_user_id_code'))
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
    op.create_table('contact_numbers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.CheckConstraint("kind IN ('work', 'mobile', 'home', 'fax', 'other')", name=op.f('ck_contact_numbers_kind')),
    sa.CheckConstraint('position BETWEEN 0 AND 4', name=op.f('ck_contact_numbers_position')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_numbers_contact_id_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_numbers')),
    sa.UniqueConstraint('contact_id', 'position', name=op.f('uq_contact_numbers_contact_id_position'))
    )
    with op.batch_alter_table('contact_numbers', schema=None) as batch_op:
        batch_op.create_index('ix_contact_numbers_number', ['number'], unique=False)



def downgrade():
    with op.batch_alter_table('contact_numbers', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_numbers_number')

    op.drop_table('contact_numbers')
    op.drop_table('voicemail_settings')
    with op.batch_alter_table('voicemail_pins', schema=None) as batch_op:
        batch_op.drop_index('ix_voicemail_pins_user_created')

    op.drop_table('voicemail_pins')
    op.drop_table('voicemail_greetings')
    op.drop_table('speed_dials')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_user_name')

    op.drop_table('contacts')
    op.drop_table('voicemail_organization_settings')
