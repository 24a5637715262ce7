"""Expert review as a hand-over, stations' service commitments, and institution stations.

Revision ID: c4e8a1f27d93
Revises: 246aba434a43
Create Date: 2026-11-30 12:30:00.000000

A filing may now be held by the expert panel (status `expert_review`) and carries the panel's outcome once the
bureau records it. Filings that had the longer time limit of expert review before this revision keep it
(`expert_review` stays true, their due date is unchanged) and stay with their station: no panel was ever asked, so
none of them is moved to `expert_review`. A station may promise a shorter decision limit (`commitment_days`, none by
default) and serve named institutions by their credit code (`station_institutions`, empty at first).
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e8a1f27d93'
down_revision = '246aba434a43'
branch_labels = None
depends_on = None

OLD_STATUSES = ("'draft', 'submitted', 'accepted', 'amendment_requested', 'registered', 'refused', 'cancelled', "
                "'revoked', 'withdrawn'")
NEW_STATUSES = ("'draft', 'submitted', 'accepted', 'expert_review', 'amendment_requested', 'registered', 'refused', "
                "'cancelled', 'revoked', 'withdrawn'")
OUTCOMES = "'supports', 'supports_with_changes', 'does_not_support'"


def upgrade():
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expert_outcome', sa.String(length=24), nullable=True))
        batch_op.drop_constraint(op.f('ck_contracts_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_contracts_status'), f"status IN ({NEW_STATUSES})")
        batch_op.create_check_constraint(
            op.f('ck_contracts_expert_outcome'), f"expert_outcome IS NULL OR expert_outcome IN ({OUTCOMES})"
        )
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commitment_days', sa.Integer(), nullable=True))
    op.create_table(
        'station_institutions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('station_id', sa.Integer(), nullable=False),
        sa.Column('credit_code', sa.String(length=18), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_station_institutions_station_id_stations'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_station_institutions')),
        sa.UniqueConstraint('credit_code', name=op.f('uq_station_institutions_credit_code')),
    )
    with op.batch_alter_table('station_institutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_station_institutions_station_id'), ['station_id'], unique=False)


def downgrade():
    # a filing with the panel goes back to its station as accepted (its longer time limit stays); the recorded
    # outcomes, commitments and served institutions go
    op.execute("UPDATE contracts SET status = 'accepted' WHERE status = 'expert_review'")
    with op.batch_alter_table('station_institutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_station_institutions_station_id'))
    op.drop_table('station_institutions')
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_column('commitment_days')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contracts_expert_outcome'), type_='check')
        batch_op.drop_constraint(op.f('ck_contracts_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_contracts_status'), f"status IN ({OLD_STATUSES})")
        batch_op.drop_column('expert_outcome')
