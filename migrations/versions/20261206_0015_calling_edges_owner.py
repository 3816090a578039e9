"""calling_edges.to_user_id: who has each edge's destination, stored and kept right by the database

The loop check read the owner of each edge's destination when it read the graph (two lookups per edge:
about a third of the read of a whole organization of 10,000). This revision stores it: the column (a
foreign key to users, ON DELETE SET NULL), the indexes the reads and the triggers need, the owners of the
edges saved so far, and the triggers that compute the owner again whenever a destination can change
hands (a person inserted with an extension or their extension changed, a number inserted with a holder,
assigned, released, moved or deleted, a location moved to another organization). The application writes
the owner with each edge it inserts.

The triggers are frozen here (this must not import the application, whose code changes later): the same
as ``userhub/routing/owner_sql.py`` at this revision, which ``create_all`` makes;
``tests/integration/test_migrations.py`` checks that both give the same triggers.

Revision ID: 0015_calling_edges_owner
Revises: 0014_phone_numbers_held
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_calling_edges_owner'
down_revision = '0014_phone_numbers_held'
branch_labels = None
depends_on = None


def owner_of(organization, target):
    return f"""coalesce(
  (SELECT u.id FROM users u WHERE u.organization_id = {organization} AND u.extension = {target}),
  (SELECT p.user_id FROM phone_numbers p JOIN locations l ON l.id = p.location_id
   WHERE p.e164 = {target} AND l.organization_id = {organization}))"""


def _reown(where):
    return (f"UPDATE calling_edges SET to_user_id = "
            f"{owner_of('calling_edges.organization_id', 'calling_edges.target')} WHERE {where}")


_ORG_OF_NEW_NUMBER = "(SELECT l.organization_id FROM locations l WHERE l.id = NEW.location_id)"

# (name, table, event, when, statements)
TRIGGERS = (
    ("calling_edges_owner_user_added", "users", "INSERT", "NEW.extension IS NOT NULL",
     (_reown("organization_id = NEW.organization_id AND target = NEW.extension"),)),
    ("calling_edges_owner_user_changed", "users", "UPDATE OF extension, organization_id",
     "OLD.extension {distinct} NEW.extension OR OLD.organization_id <> NEW.organization_id",
     (_reown("to_user_id = OLD.id AND target = OLD.extension"),
      _reown("organization_id = NEW.organization_id AND target = NEW.extension"))),
    ("calling_edges_owner_number_added", "phone_numbers", "INSERT", "NEW.user_id IS NOT NULL",
     (_reown(f"organization_id = {_ORG_OF_NEW_NUMBER} AND target = NEW.e164"),)),
    ("calling_edges_owner_number_changed", "phone_numbers", "UPDATE OF user_id, e164, location_id",
     "OLD.user_id {distinct} NEW.user_id OR OLD.e164 <> NEW.e164 OR OLD.location_id <> NEW.location_id",
     (_reown("to_user_id = OLD.user_id AND target = OLD.e164"),
      _reown(f"organization_id = {_ORG_OF_NEW_NUMBER} AND target = NEW.e164"))),
    ("calling_edges_owner_number_deleted", "phone_numbers", "DELETE", "OLD.user_id IS NOT NULL",
     (_reown("to_user_id = OLD.user_id AND target = OLD.e164"),)),
    ("calling_edges_owner_location_moved", "locations", "UPDATE OF organization_id",
     "OLD.organization_id <> NEW.organization_id",
     (_reown("organization_id IN (OLD.organization_id, NEW.organization_id) AND target IN "
             "(SELECT p.e164 FROM phone_numbers p WHERE p.location_id = NEW.id)"),)),
)


def _create(dialect, name, table, event, when, statements):
    when = when.format(distinct="IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT")
    body = "".join(f"  {statement};\n" for statement in statements)
    if dialect == "postgresql":
        return [f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}"
                f"  RETURN NULL;\nEND\n$$",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW "
                f"WHEN ({when}) EXECUTE FUNCTION {name}()"]
    return [f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW WHEN {when}\nBEGIN\n{body}END"]


def _drop(dialect, name, table):
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return [f"DROP TRIGGER IF EXISTS {name}"]


def upgrade():
    with op.batch_alter_table('calling_edges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('to_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_calling_edges_to_user_id_users'), 'users', ['to_user_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.drop_index('ix_calling_edges_org_user')
        batch_op.create_index('ix_calling_edges_org_user', ['organization_id', 'user_id', 'to_user_id'], unique=False)
        batch_op.create_index('ix_calling_edges_to_user', ['to_user_id', 'organization_id', 'user_id'], unique=False)
    connection = op.get_bind()
    # the owners of the edges saved so far, as the loop check looked them up until this revision
    op.execute(f"UPDATE calling_edges SET to_user_id = {owner_of('calling_edges.organization_id', 'calling_edges.target')}")
    for trigger in TRIGGERS:
        for statement in _create(connection.dialect.name, *trigger):
            op.execute(statement)


def downgrade():
    connection = op.get_bind()
    for name, table, *_rest in reversed(TRIGGERS):
        for statement in _drop(connection.dialect.name, name, table):
            op.execute(statement)
    with op.batch_alter_table('calling_edges', schema=None) as batch_op:
        batch_op.drop_index('ix_calling_edges_to_user')
        batch_op.drop_index('ix_calling_edges_org_user')
        batch_op.create_index('ix_calling_edges_org_user', ['organization_id', 'user_id', 'feature'], unique=False)
        batch_op.drop_constraint(batch_op.f('fk_calling_edges_to_user_id_users'), type_='foreignkey')
        batch_op.drop_column('to_user_id')
