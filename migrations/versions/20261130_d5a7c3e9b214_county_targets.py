"""County assessment: the bureau's targets per year and county (growth rate of the contract amount, optional
amount).

Revision ID: d5a7c3e9b214
Revises: d81f3b6a2c47
Create Date: 2026-11-30 14:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'd5a7c3e9b214'
down_revision = 'd81f3b6a2c47'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('county_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=6), nullable=False),
    sa.Column('growth_rate', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('target_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_county_targets_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_county_targets')),
    sa.UniqueConstraint('year', 'area_code', name=op.f('uq_county_targets_year_area_code'))
    )


def downgrade():
    op.drop_table('county_targets')
