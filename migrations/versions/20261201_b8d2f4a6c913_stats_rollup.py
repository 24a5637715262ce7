"""Statistics rollup: registrations and amounts per grouping of dimensions, station and month, filled here from the
facts; an index on the facts' registration date; the supervision's indexes on filings, decisions, amendments and
refusals.

Revision ID: b8d2f4a6c913
Revises: a7c4e2f9b861
Create Date: 2026-12-01 01:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'b8d2f4a6c913'
down_revision = 'a7c4e2f9b861'
branch_labels = None
depends_on = None


# The groupings and their dimensions' SQL as app.statistics.services.rollup had them at this revision.
NATURE_GROUP = (
    "CASE WHEN ({p}_nature LIKE '02%') THEN '020' WHEN ({p}_nature LIKE '1%') THEN '100' "
    "WHEN ({p}_nature LIKE '2%') THEN '200' WHEN ({p}_nature LIKE '3%') THEN '300' ELSE {p}_nature END"
)
GROUPINGS = (
    ('equity', "CASE WHEN contributed_as_equity THEN 'equity' ELSE 'not_equity' END", "''"),
    ('category', 'category', 'subtype'),
    ('technical_field', 'technical_field', "''"),
    ('ip_type', 'ip_type', "''"),
    ('plan_category', 'plan_category', "''"),
    (
        'amount_band',
        "CASE WHEN (amount_cents >= 1000000000) THEN 'major' WHEN (amount_cents >= 100000000) THEN '1m_10m' "
        "WHEN (amount_cents >= 10000000) THEN '100k_1m' ELSE 'under_100k' END",
        "''",
    ),
    ('output:nature', NATURE_GROUP.format(p='seller'), 'seller_nature'),
    ('absorption:nature', NATURE_GROUP.format(p='buyer'), 'buyer_nature'),
    ('output:area', 'seller_area', "''"),
    ('absorption:province', "substr(buyer_area, 1, 2) || '0000'", "''"),
    ('output:counterpart_region', 'buyer_region', "''"),
    ('absorption:counterpart_region', 'seller_region', "''"),
)
FILL = """
INSERT INTO stats_rollup (grouping, key1, key2, station_id, registered_year, registered_month, registrations,
    amount_cents, technical_amount_cents)
SELECT '{grouping}', coalesce({key1}, ''), coalesce({key2}, ''), station_id, registered_year, registered_month,
    count(*), sum(amount_cents), sum(technical_amount_cents)
FROM registration_facts WHERE status = 'registered' GROUP BY 2, 3, 4, 5, 6
"""


def upgrade():
    op.create_table(
        'stats_rollup',
        sa.Column('grouping', sa.String(length=40), nullable=False),
        sa.Column('registered_year', sa.SmallInteger(), nullable=False),
        sa.Column('registered_month', sa.SmallInteger(), nullable=False),
        sa.Column('station_id', sa.Integer(), nullable=False),
        sa.Column('key1', sa.String(length=40), nullable=False),
        sa.Column('key2', sa.String(length=40), nullable=False),
        sa.Column('registrations', sa.BigInteger(), nullable=False),
        sa.Column('amount_cents', sa.BigInteger(), nullable=False),
        sa.Column('technical_amount_cents', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_stats_rollup_station_id_stations')),
        sa.PrimaryKeyConstraint(
            'grouping', 'registered_year', 'registered_month', 'station_id', 'key1', 'key2',
            name=op.f('pk_stats_rollup'),
        ),
    )
    with op.batch_alter_table('registration_facts', schema=None) as batch_op:
        batch_op.create_index('ix_registration_facts_registered_on', ['registered_on'], unique=False)
    for grouping, key1, key2 in GROUPINGS:
        op.execute(FILL.format(grouping=grouping, key1=key1, key2=key2))
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_filed_on', ['filed_on'], unique=False, postgresql_include=['station_id', 'status'])
        batch_op.create_index(
            'ix_contracts_decided_at', ['decided_at'], unique=False,
            postgresql_include=['id', 'station_id', 'status', 'filed_on', 'due_on', 'clock_started_on'],
        )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index(
            'ix_status_changes_amendments', ['contract_id'], unique=False,
            postgresql_where=sa.text("to_status = 'amendment_requested'"),
            sqlite_where=sa.text("to_status = 'amendment_requested'"),
        )
        batch_op.create_index(
            'ix_status_changes_refusals', ['created_at'], unique=False,
            postgresql_where=sa.text("to_status = 'refused'"), sqlite_where=sa.text("to_status = 'refused'"),
        )


def downgrade():
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_status_changes_refusals', postgresql_where=sa.text("to_status = 'refused'"), sqlite_where=sa.text("to_status = 'refused'"))
        batch_op.drop_index('ix_status_changes_amendments', postgresql_where=sa.text("to_status = 'amendment_requested'"), sqlite_where=sa.text("to_status = 'amendment_requested'"))
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_decided_at', postgresql_include=['id', 'station_id', 'status', 'filed_on', 'due_on', 'clock_started_on'])
        batch_op.drop_index('ix_contracts_filed_on', postgresql_include=['station_id', 'status'])
    with op.batch_alter_table('registration_facts', schema=None) as batch_op:
        batch_op.drop_index('ix_registration_facts_registered_on')
    op.drop_table('stats_rollup')
