"""Technical-income verification (技术性收入核定): income records and their costs, the researchers a contract names,
and the tax feed's event `income_verified`.

Revision ID: f1a6c2d8b357
Revises: e5b7c3a9d214
Create Date: 2026-11-30 15:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'f1a6c2d8b357'
down_revision = 'e5b7c3a9d214'
branch_labels = None
depends_on = None

OLD_EVENTS = "'registered', 'changed', 'cancelled', 'revoked', 'tax_claim', 'objection', 'objection_answered'"
NEW_EVENTS = f"{OLD_EVENTS}, 'income_verified'"
COST_KINDS = "'labour', 'materials', 'power', 'equipment', 'other'"


def upgrade():
    op.create_table('income_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('received', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('technical_income', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('verify_note', sa.Text(), nullable=True),
    sa.Column('review_reasons', sa.JSON(), nullable=False),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('sheet_sha256', sa.String(length=64), nullable=True),
    sa.Column('sheet_size', sa.Integer(), nullable=True),
    sa.CheckConstraint("period_to >= period_from", name=op.f('ck_income_records_period')),
    sa.CheckConstraint("status IN ('submitted', 'proposed', 'verified')", name=op.f('ck_income_records_status')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_income_records_approved_by_id_users')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_income_records_contract_id_contracts'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_income_records_created_by_id_users')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_income_records_verified_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_income_records'))
    )
    with op.batch_alter_table('income_records', schema=None) as batch_op:
        batch_op.create_index('ix_income_records_contract_id_period_from', ['contract_id', 'period_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_income_records_status'), ['status'], unique=False)

    op.create_table('income_costs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.CheckConstraint("amount >= 0", name=op.f('ck_income_costs_amount')),
    sa.CheckConstraint(f"kind IN ({COST_KINDS})", name=op.f('ck_income_costs_kind')),
    sa.ForeignKeyConstraint(['record_id'], ['income_records.id'], name=op.f('fk_income_costs_record_id_income_records'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_income_costs'))
    )
    with op.batch_alter_table('income_costs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_income_costs_record_id'), ['record_id'], unique=False)

    op.create_table('contract_researchers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('role', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'],
                            name=op.f('fk_contract_researchers_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_researchers')),
    sa.UniqueConstraint('contract_id', 'id_number', name=op.f('uq_contract_researchers_contract_id_id_number'))
    )
    with op.batch_alter_table('contract_researchers', schema=None) as batch_op:
        batch_op.create_index('ix_contract_researchers_id_number', ['id_number'], unique=False)

    with op.batch_alter_table('tax_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tax_events_event'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tax_events_event'), f"event IN ({NEW_EVENTS})")


def downgrade():
    op.execute("DELETE FROM tax_events WHERE event = 'income_verified'")
    with op.batch_alter_table('tax_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tax_events_event'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tax_events_event'), f"event IN ({OLD_EVENTS})")

    with op.batch_alter_table('contract_researchers', schema=None) as batch_op:
        batch_op.drop_index('ix_contract_researchers_id_number')
    op.drop_table('contract_researchers')
    with op.batch_alter_table('income_costs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_income_costs_record_id'))
    op.drop_table('income_costs')
    with op.batch_alter_table('income_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_income_records_status'))
        batch_op.drop_index('ix_income_records_contract_id_period_from')
    op.drop_table('income_records')
