"""users list: indexes for keyset pages in each sort and filter

The users list reads its pages from an index in the sort's order (email; status then name; each also
behind the status or the location filter) instead of sorting the organization's users on every page.

Revision ID: 0008_users_list_keyset
Revises: 0007_calling_edges
Create Date: 2026-12-05

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_users_list_keyset'
down_revision = '0007_calling_edges'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_admin_users_org_email': ['organization_id', 'email'],
    'ix_admin_users_org_status_name': ['organization_id', 'status', 'last_name', 'first_name', 'id'],
    'ix_admin_users_org_status_email': ['organization_id', 'status', 'email'],
    'ix_admin_users_org_location_status_name': ['organization_id', 'location_id', 'status', 'last_name',
                                                'first_name', 'id'],
    'ix_admin_users_org_location_email': ['organization_id', 'location_id', 'email'],
}


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, 'users', columns, unique=False)


def downgrade():
    for name in reversed(list(INDEXES)):
        op.drop_index(name, table_name='users')
