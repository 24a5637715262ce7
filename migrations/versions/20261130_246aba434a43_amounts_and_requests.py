"""Amounts not fixed at signing, and applicants' requests after registration (change, supplement, cancel).

Revision ID: 246aba434a43
Revises: b4c2d8e6f013
Create Date: 2026-11-30 11:43:14.907898

Every contract that exists before this revision had its amounts fixed at signing: amount_fixed is true for all.
"""
from alembic import op
import sqlalchemy as sa


revision = '246aba434a43'
down_revision = 'b4c2d8e6f013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contract_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('change', 'supplement', 'cancel')", name=op.f('ck_contract_requests_kind')),
    sa.CheckConstraint("status IN ('pending', 'approved', 'refused')", name=op.f('ck_contract_requests_status')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_requests_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contract_requests_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_contract_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['registration_proposals.id'], name=op.f('fk_contract_requests_proposal_id_registration_proposals'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_contract_requests_proposed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_requests'))
    )
    with op.batch_alter_table('contract_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_requests_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_requests_status'), ['status'], unique=False)

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amount_fixed', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade():
    # a request has nowhere to go; an open amount becomes what the earlier schema knows, a missing amount
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('amount_fixed')

    with op.batch_alter_table('contract_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_requests_status'))
        batch_op.drop_index(batch_op.f('ix_contract_requests_contract_id'))

    op.drop_table('contract_requests')
