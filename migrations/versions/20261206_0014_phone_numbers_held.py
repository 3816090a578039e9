"""phone_numbers: an index of the held numbers by user (user_id IS NOT NULL)

Finding a user's number used the unique constraint's index on user_id, which also holds every free number
(NULL). SQLite's ANALYZE counts those NULLs as one value, so a pool of 10,000 free numbers reads as 10,000
numbers per user, and SQLite scans the whole table for each user it joins to a number (the CSV export of
100,000 users with 10,000 free numbers: about 50 s of CPU; 0.1 s with this index). The held numbers alone
give the planner true figures. On
PostgreSQL, whose statistics count NULLs apart, the index is small (held numbers only) and changes nothing.

Revision ID: 0014_phone_numbers_held
Revises: 0013_loop_check_costs
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_phone_numbers_held'
down_revision = '0013_loop_check_costs'
branch_labels = None
depends_on = None

HELD = sa.text('user_id IS NOT NULL')


def upgrade():
    op.create_index('ix_phone_numbers_held', 'phone_numbers', ['user_id'], unique=False,
                    sqlite_where=HELD, postgresql_where=HELD)


def downgrade():
    op.drop_index('ix_phone_numbers_held', table_name='phone_numbers')
