"""calling: per-user calling settings, feature access, settings history

Revision ID: 0003_calling
Revises: 0002_admin
Create Date: 2026-11-22

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0003_calling'
down_revision = '0002_admin'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
