"""Reports upward: the bureau's frozen, signed snapshots of the annual tables, and the upload batches per receiver.

Revision ID: a7c4e2f19b63
Revises: f1a6c2d8b357
Create Date: 2026-11-30 15:13:54.306389

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c4e2f19b63'
down_revision = 'f1a6c2d8b357'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=True),
    sa.Column('tables', sa.JSON(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('signed_by', sa.String(length=300), nullable=False),
    sa.Column('algorithm', sa.String(length=32), nullable=False),
    sa.Column('frozen_by_id', sa.Integer(), nullable=False),
    sa.Column('frozen_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quarter IS NULL OR quarter BETWEEN 1 AND 4', name=op.f('ck_report_snapshots_quarter')),
    sa.ForeignKeyConstraint(['frozen_by_id'], ['users.id'], name=op.f('fk_report_snapshots_frozen_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_snapshots'))
    )
    with op.batch_alter_table('report_snapshots', schema=None) as batch_op:
        batch_op.create_index('uq_report_snapshots_year', ['year'], unique=True, postgresql_where=sa.text('quarter IS NULL'), sqlite_where=sa.text('quarter IS NULL'))

    op.create_table('upload_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receiver', sa.String(length=16), nullable=False),
    sa.Column('after_position', sa.BigInteger(), nullable=False),
    sa.Column('last_position', sa.BigInteger(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("receiver IN ('province', 'national')", name=op.f('ck_upload_batches_receiver')),
    sa.CheckConstraint('last_position >= after_position', name=op.f('ck_upload_batches_positions')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_upload_batches_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_batches'))
    )
    with op.batch_alter_table('upload_batches', schema=None) as batch_op:
        batch_op.create_index('ix_upload_batches_receiver_last_position', ['receiver', 'last_position'], unique=False)



def downgrade():
    with op.batch_alter_table('upload_batches', schema=None) as batch_op:
        batch_op.drop_index('ix_upload_batches_receiver_last_position')

    op.drop_table('upload_batches')
    with op.batch_alter_table('report_snapshots', schema=None) as batch_op:
        batch_op.drop_index('uq_report_snapshots_year', postgresql_where=sa.text('quarter IS NULL'), sqlite_where=sa.text('quarter IS NULL'))

    op.drop_table('report_snapshots')
