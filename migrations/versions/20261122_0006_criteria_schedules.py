"""calling criteria name a schedule: foreign key calling_criteria.schedule_id -> schedules.id

No ON DELETE action: the database refuses to delete a schedule a rule still uses (checked at the end
of the statement, so deleting a person removes their schedules and their rules together).

Revision ID: 0006_criteria_schedules
Revises: 0005_voicemail_contacts
Create Date: 2026-11-22

"""
import warnings
from contextlib import contextmanager

from alembic import op
from sqlalchemy.exc import SAWarning


# revision identifiers, used by Alembic.
revision = '0006_criteria_schedules'
down_revision = '0005_voicemail_contacts'
branch_labels = None
depends_on = None


@contextmanager
def _criteria_table():
    # On SQLite, batch mode copies the table after reflecting it and the tables it refers to; SQLAlchemy
    # cannot reflect the users table's expression indexes (lower(name)) and warns, though they stay as they are.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index", category=SAWarning)
        with op.batch_alter_table('calling_criteria', schema=None) as batch_op:
            yield batch_op


def upgrade():
    # Rules saved before this revision could only be "every day, all day"; any other id is dangling.
    op.execute("UPDATE calling_criteria SET schedule_id = NULL, schedule_level = NULL, schedule_type = NULL "
               "WHERE schedule_id IS NOT NULL AND schedule_id NOT IN (SELECT id FROM schedules)")
    with _criteria_table() as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_calling_criteria_schedule_id_schedules'), 'schedules',
                                    ['schedule_id'], ['id'])


def downgrade():
    with _criteria_table() as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_calling_criteria_schedule_id_schedules'), type_='foreignkey')
