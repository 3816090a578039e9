"""admin: audit log, package history for billing, import jobs

Revision ID: 0002_admin
Revises: 0001_foundation
Create Date: 2026-11-22

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0002_admin'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
