"""voicemail settings, greetings, PIN history; speed dials and contacts

Revision ID: 0005_voicemail_contacts
Revises: 0004_schedules
Create Date: 2026-11-22

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0005_voicemail_contacts'
down_revision = '0004_schedules'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
