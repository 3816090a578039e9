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
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("(user_id IS NULL) <> (location_id IS NULL)", name=op.f("ck_schedules_one_owner")),
        sa.CheckConstraint("type IN ('business_hours', 'holidays')", name=op.f("ck_schedules_type")),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name=op.f("fk_schedules_location_id_locations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_schedules_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
        sa.UniqueConstraint("location_id", "name", name=op.f("uq_schedules_location_id_name")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_schedules_user_id_name")),
    )
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedules_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_schedules_user_id"), ["user_id"], unique=False)

    op.create_table(
        "schedule_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("recurrence", sa.String(length=16), nullable=False),
        sa.Column("repeat_interval", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.String(length=20), nullable=False),
        sa.Column("week_of_month", sa.Integer(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.CheckConstraint("all_day OR (start_time IS NOT NULL AND end_time IS NOT NULL)",
                           name=op.f("ck_schedule_events_times")),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_schedule_events_dates")),
        sa.CheckConstraint("recurrence IN ('none', 'daily', 'weekly', 'yearly_by_date', 'yearly_by_day')",
                           name=op.f("ck_schedule_events_recurrence")),
        sa.CheckConstraint("repeat_interval >= 1", name=op.f("ck_schedule_events_repeat_interval")),
        sa.CheckConstraint("until IS NULL OR count IS NULL", name=op.f("ck_schedule_events_one_end")),
        sa.CheckConstraint("count IS NULL OR count >= 1", name=op.f("ck_schedule_events_count_positive")),
        sa.CheckConstraint("week_of_month IS NULL OR week_of_month IN (-1, 1, 2, 3, 4)",
                           name=op.f("ck_schedule_events_week_of_month")),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedules.id"], name=op.f("fk_schedule_events_schedule_id_schedules"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_events")),
        sa.UniqueConstraint("schedule_id", "name", name=op.f("uq_schedule_events_schedule_id_name")),
    )
    with op.batch_alter_table("schedule_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedule_events_schedule_id"), ["schedule_id"], unique=False)

    op.create_table(
        "schedule_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["schedule_events.id"],
                                name=op.f("fk_schedule_exceptions_event_id_schedule_events"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_exceptions")),
        sa.UniqueConstraint("event_id", "day", name=op.f("uq_schedule_exceptions_event_id_day")),
    )
    with op.batch_alter_table("schedule_exceptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedule_exceptions_event_id"), ["event_id"], unique=False)


def downgrade():
    op.drop_table("schedule_exceptions")
    op.drop_table("schedule_events")
    op.drop_table("schedules")
