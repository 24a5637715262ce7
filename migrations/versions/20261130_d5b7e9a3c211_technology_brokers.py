"""Technology brokers and managers registered by the bureau, and the link of filings to the brokers who brokered them.

Revision ID: d5b7e9a3c211
Revises: c4e8a1f27d93
Create Date: 2026-11-30 15:00:00.000000

Both tables start empty: no filing named a broker before.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd5b7e9a3c211'
down_revision = 'c4e8a1f27d93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'brokers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('id_number', sa.String(length=18), nullable=False),
        sa.Column('organisation_name', sa.String(length=200), nullable=True),
        sa.Column('organisation_credit_code', sa.String(length=18), nullable=True),
        sa.Column('certificate_no', sa.String(length=40), nullable=False),
        sa.Column('qualified_on', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('broker', 'manager')", name=op.f('ck_brokers_kind')),
        sa.CheckConstraint("status IN ('active', 'suspended', 'revoked')", name=op.f('ck_brokers_status')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_brokers_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_brokers')),
        sa.UniqueConstraint('certificate_no', name=op.f('uq_brokers_certificate_no')),
    )
    with op.batch_alter_table('brokers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brokers_status'), ['status'], unique=False)
    op.create_table(
        'contract_brokers',
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('broker_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_contract_brokers_broker_id_brokers')),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'],
                                name=op.f('fk_contract_brokers_contract_id_contracts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('contract_id', 'broker_id', name=op.f('pk_contract_brokers')),
    )
    with op.batch_alter_table('contract_brokers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_brokers_broker_id'), ['broker_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contract_brokers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_brokers_broker_id'))
    op.drop_table('contract_brokers')
    with op.batch_alter_table('brokers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brokers_status'))
    op.drop_table('brokers')
