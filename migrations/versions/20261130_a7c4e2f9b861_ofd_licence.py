"""The OFD electronic licence: each certificate version's sealed OFD, stored by its SHA-256 beside the PDF.

Revision ID: a7c4e2f9b861
Revises: a3c9e1f7b520
Create Date: 2026-11-30 16:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c4e2f9b861'
down_revision = 'a3c9e1f7b520'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ofd_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('ofd_size', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_ofd_sha256'), ['ofd_sha256'])


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificates_ofd_sha256'), type_='unique')
        batch_op.drop_column('ofd_size')
        batch_op.drop_column('ofd_sha256')
