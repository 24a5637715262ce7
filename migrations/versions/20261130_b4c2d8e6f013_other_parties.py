"""Other parties: co-sellers, further buyers and the intermediary of a brokered deal, beside the first seller and
buyer.

Revision ID: b4c2d8e6f013
Revises: c4e8a2d6f1b3
Create Date: 2026-11-30 12:30:00.000000

Existing contracts have only their seller and buyer: the new table starts empty.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b4c2d8e6f013'
down_revision = 'c4e8a2d6f1b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contract_other_parties',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=True),
        sa.Column('credit_code', sa.String(length=18), nullable=True),
        sa.Column('id_number', sa.String(length=18), nullable=True),
        sa.Column('nature', sa.String(length=3), nullable=True),
        sa.Column('area_code', sa.String(length=6), nullable=True),
        sa.Column('country', sa.String(length=3), nullable=False),
        sa.CheckConstraint("role IN ('seller', 'buyer', 'intermediary')",
                           name=op.f('ck_contract_other_parties_role')),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'],
                                name=op.f('fk_contract_other_parties_contract_id_contracts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_other_parties')),
        sa.UniqueConstraint('contract_id', 'position', name=op.f('uq_contract_other_parties_contract_id_position')),
    )
    with op.batch_alter_table('contract_other_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_other_parties_contract_id'), ['contract_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contract_other_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_other_parties_contract_id'))
    op.drop_table('contract_other_parties')
