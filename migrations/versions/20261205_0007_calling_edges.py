"""calling_edges: the forwarding graph the loop check at save follows, filled from the saved settings

One row per destination a user's forwarding or ringing sends calls to (the owner of the destination is
looked up when the graph is read, not stored). From now on the calling save service replaces a user's
edges when they save a feature; this revision writes the edges of the settings saved before it.

The backfill is frozen here (it must not import the application, whose code changes later). It gives
the edges the application's ``loops.destinations`` gives for these settings at this revision: call
forwarding always / busy / no answer / business continuity (switched on, with a destination, not to
voicemail), selective forward (switched on: its default number unless to voicemail, and each "forward"
rule with a number), simultaneous and sequential ring and single number reach (switched on: each number
switched on), the executive's rollover forward (executive and filtering on, rollover on, action
"forward", with a number). The executive's assistants are not edges.

Revision ID: 0007_calling_edges
Revises: 0006_criteria_schedules
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_calling_edges'
down_revision = '0006_criteria_schedules'
branch_labels = None
depends_on = None

EDGE_FEATURES = ('forward_always', 'forward_busy', 'forward_no_answer', 'business_continuity', 'selective_forward',
                 'simultaneous_ring', 'sequential_ring', 'single_number_reach', 'executive_filtering')
FORWARD_GROUPS = (('always', 'forward_always'), ('busy', 'forward_busy'), ('no_answer', 'forward_no_answer'),
                  ('business_continuity', 'business_continuity'))
RING_LISTS = {'simultaneous-ring': 'simultaneous_ring', 'sequential-ring': 'sequential_ring',
              'single-number-reach': 'single_number_reach'}
TARGET_LENGTH = 40  # longer is neither a number nor an extension: nobody can have it

settings = sa.table('calling_settings', sa.column('user_id', sa.Integer), sa.column('feature', sa.String),
                    sa.column('values', sa.JSON))
criteria = sa.table('calling_criteria', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer),
                    sa.column('feature', sa.String), sa.column('position', sa.Integer),
                    sa.column('enabled', sa.Boolean), sa.column('forward_to', sa.String))
users = sa.table('users', sa.column('id', sa.Integer), sa.column('organization_id', sa.Integer))
edges_table = sa.table('calling_edges', sa.column('organization_id', sa.Integer), sa.column('user_id', sa.Integer),
                       sa.column('feature', sa.String), sa.column('target', sa.String))


def upgrade():
    op.create_table('calling_edges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('feature', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=40), nullable=False),
    sa.CheckConstraint('feature IN (' + ', '.join(f"'{feature}'" for feature in EDGE_FEATURES) + ')',
                       name=op.f('ck_calling_edges_feature')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_calling_edges_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calling_edges_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calling_edges'))
    )
    with op.batch_alter_table('calling_edges', schema=None) as batch_op:
        batch_op.create_index('ix_calling_edges_org_user', ['organization_id', 'user_id', 'feature'], unique=False)
        batch_op.create_index('ix_calling_edges_user', ['user_id'], unique=False)

    _backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table('calling_edges', schema=None) as batch_op:
        batch_op.drop_index('ix_calling_edges_user')
        batch_op.drop_index('ix_calling_edges_org_user')

    op.drop_table('calling_edges')


def _backfill(connection):
    """Every saved setting's edges, read in Python from the JSON (the same on both databases)."""
    organization_of = {}
    selective_on = set()  # the rules of selective forward are edges only when it is switched on
    found = []
    rows = connection.execute(
        sa.select(settings.c.user_id, settings.c.feature, settings.c['values'], users.c.organization_id)
        .join(users, users.c.id == settings.c.user_id)
        .where(settings.c.feature.in_(('call-forwarding', 'selective-forward', 'executive', *RING_LISTS)))
        .order_by(settings.c.user_id, settings.c.feature))
    for user_id, feature, values, organization_id in rows:
        values = values if isinstance(values, dict) else {}
        organization_of[user_id] = organization_id
        if feature == 'selective-forward' and _on(values, 'enabled'):
            selective_on.add(user_id)
        found.extend((user_id, kind, target) for kind, target in _edges(feature, values))
    rules = connection.execute(
        sa.select(criteria.c.user_id, criteria.c.forward_to)
        .where(criteria.c.feature == 'selective-forward', criteria.c.enabled == sa.true(),
               criteria.c.forward_to.is_not(None), criteria.c.forward_to != '')
        .order_by(criteria.c.user_id, criteria.c.position, criteria.c.id))
    found.extend((user_id, 'selective_forward', forward_to) for user_id, forward_to in rules if user_id in selective_on)
    rows = [{'organization_id': organization_of[user_id], 'user_id': user_id, 'feature': kind, 'target': target}
            for user_id, kind, target in dict.fromkeys(found) if len(target) <= TARGET_LENGTH]
    for start in range(0, len(rows), 5000):
        connection.execute(edges_table.insert(), rows[start:start + 5000])


def _on(values, key, default=False):
    return bool(values.get(key, default))  # as the application reads a switch: bool(value)


def _text(values, key):
    value = values.get(key)
    return value if isinstance(value, str) else ''


def _edges(feature, values):
    """(routing feature, target) of one saved setting's edges, rules of selective forward apart."""
    if feature == 'call-forwarding':
        for group, kind in FORWARD_GROUPS:
            target = _text(values, f'{group}_destination')
            if _on(values, f'{group}_enabled') and target and not _on(values, f'{group}_to_voicemail'):
                yield kind, target
    elif feature == 'selective-forward':
        target = _text(values, 'default_destination')
        if _on(values, 'enabled') and target and not _on(values, 'to_voicemail'):
            yield 'selective_forward', target
    elif feature in RING_LISTS:
        if _on(values, 'enabled'):
            for number in values.get('numbers') or ():
                if isinstance(number, dict) and _text(number, 'phone_number') and _on(number, 'enabled', True):
                    yield RING_LISTS[feature], number['phone_number']
    elif feature == 'executive':
        target = _text(values, 'rollover_forward_to')
        if (_on(values, 'enabled') and _on(values, 'filtering_enabled') and _on(values, 'rollover_enabled')
                and values.get('rollover_action') == 'forward' and target):
            yield 'executive_filtering', target
