"""Organisation claims (an account's proof that it speaks for its organisation) and sign-up activation links.

Revision ID: 3f1c2a9d7e41
Revises: 804feb22c124
Create Date: 2026-11-30 05:22:53.733326

Accounts that exist before this revision were made by an administrator or by the earlier sign-up: each applicant
with an organisation gets a confirmed claim on the basis "existing_account" (a contest can still be raised).
"""
from alembic import op
import sqlalchemy as sa


revision = '3f1c2a9d7e41'
down_revision = '804feb22c124'
branch_labels = None
depends_on = None

BACKFILL = """
INSERT INTO organisation_claims (user_id, organisation_id, kind, status, basis, created_at, updated_at)
SELECT id, organisation_id, 'first', 'confirmed', 'existing_account', created_at, created_at
FROM users
WHERE role = 'applicant' AND organisation_id IS NOT NULL
"""


def upgrade():
    op.create_table('account_activations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_activations_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_activations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_activations_token_hash'))
    )
    with op.batch_alter_table('account_activations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_activations_user_id'), ['user_id'], unique=False)

    op.create_table('organisation_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('basis', sa.String(length=24), nullable=True),
    sa.Column('licence_sha256', sa.String(length=64), nullable=True),
    sa.Column('licence_media_type', sa.String(length=32), nullable=True),
    sa.Column('licence_filename', sa.String(length=255), nullable=True),
    sa.Column('licence_size', sa.Integer(), nullable=True),
    sa.Column('licence_uploaded_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("basis IN ('licence_review', 'seller_registration', 'administrator', 'existing_account', "
                       "'contest_resolution')", name=op.f('ck_organisation_claims_basis')),
    sa.CheckConstraint("kind IN ('first', 'contest')", name=op.f('ck_organisation_claims_kind')),
    sa.CheckConstraint("status IN ('unverified', 'pending', 'confirmed', 'rejected')",
                       name=op.f('ck_organisation_claims_status')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'],
                            name=op.f('fk_organisation_claims_contract_id_contracts')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_organisation_claims_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['parties.id'],
                            name=op.f('fk_organisation_claims_organisation_id_parties')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_organisation_claims_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_claims')),
    sa.UniqueConstraint('user_id', name=op.f('uq_organisation_claims_user_id'))
    )
    with op.batch_alter_table('organisation_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_claims_organisation_id'), ['organisation_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_claims_status'), ['status'], unique=False)
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table('organisation_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_claims_status'))
        batch_op.drop_index(batch_op.f('ix_organisation_claims_organisation_id'))

    op.drop_table('organisation_claims')
    with op.batch_alter_table('account_activations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_activations_user_id'))

    op.drop_table('account_activations')