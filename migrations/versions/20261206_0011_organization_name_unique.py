"""organizations.name_key: an organization's normalised name, unique, so that a name is not created twice

Revision ID: 0011_organization_name_unique
Revises: 0010_sip
Create Date: 2026-12-06

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_organization_name_unique'
down_revision = '0010_sip'
branch_labels = None
depends_on = None


def _name_key(name):
    # organizations.models.name_key as of this revision (a migration does not follow later code)
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=480), nullable=True))
    organizations = sa.table('organizations', sa.column('id', sa.Integer), sa.column('name', sa.String),
                             sa.column('name_key', sa.String))
    connection = op.get_bind()
    seen = set()
    for row in connection.execute(sa.select(organizations.c.id, organizations.c.name).order_by(organizations.c.id)):
        key = _name_key(row.name)
        # Duplicates made before this revision stay, told apart by their id; the oldest keeps the name, so a
        # new one of that name is refused.
        if key in seen:
            key = f"{key} #{row.id}"
        seen.add(key)
        connection.execute(organizations.update().where(organizations.c.id == row.id).values(name_key=key))
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=480), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_organizations_name_key'), ['name_key'])


def downgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organizations_name_key'), type_='unique')
        batch_op.drop_column('name_key')
