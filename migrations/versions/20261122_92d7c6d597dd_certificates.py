"""Certificates: every issued version of a registration certificate, stored by SHA-256.

Revision ID: 92d7c6d597dd
Revises: b2c1aaf83f92
Create Date: 2026-11-22 01:56:22.740131

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '92d7c6d597dd'
down_revision = 'b2c1aaf83f92'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('registration_number', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('check_code', sa.String(length=16), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('signer_subject', sa.String(length=300), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_certificates_contract_id_contracts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_certificates_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('contract_id', 'version', name=op.f('uq_certificates_contract_id_version')),
    sa.UniqueConstraint('registration_number', 'check_code', name=op.f('uq_certificates_registration_number_check_code')),
    sa.UniqueConstraint('sha256', name=op.f('uq_certificates_sha256'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_registration_number'), ['registration_number'], unique=False)

    


def downgrade():
    
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_registration_number'))
        batch_op.drop_index(batch_op.f('ix_certificates_contract_id'))

    op.drop_table('certificates')
    
