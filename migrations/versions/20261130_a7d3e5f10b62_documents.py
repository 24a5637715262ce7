"""Printable documents (受理回执, 补正通知书, 不予登记通知书, 技术合同登记表): one signed PDF per history entry and kind.

Revision ID: a7d3e5f10b62
Revises: 3f1c2a9d7e41
Create Date: 2026-11-30 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'a7d3e5f10b62'
down_revision = '3f1c2a9d7e41'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('status_change_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_documents_contract_id_contracts'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_change_id'], ['status_changes.id'],
                            name=op.f('fk_documents_status_change_id_status_changes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('status_change_id', 'kind', name=op.f('uq_documents_status_change_id_kind'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_contract_id'), ['contract_id'], unique=False)


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_contract_id'))

    op.drop_table('documents')
