"""schedules: personal and location schedules, events, exceptions

Revision ID: 0004_schedules
Revises: 0003_calling
Create Date: 2026-11-22

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0004_schedules'
down_revision = '0003_calling'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
