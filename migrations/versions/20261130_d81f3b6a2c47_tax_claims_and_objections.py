"""Tax answering back: preferences claimed per tax year, objections the station answers, and their feed events.

Revision ID: d81f3b6a2c47
Revises: d5b7e9a3c211
Create Date: 2026-11-30 15:00:00.000000

A tax office records that a preference was claimed on a registration for a tax year (once per registration,
preference, claimant and year) and raises objections that the station answers (upheld, corrected, revoked). The
tax feed gains the events `tax_claim`, `objection` and `objection_answered`; its event column grows to 24
characters for the last of these.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd81f3b6a2c47'
down_revision = 'd5b7e9a3c211'
branch_labels = None
depends_on = None

OLD_EVENTS = "'registered', 'changed', 'cancelled', 'revoked'"
NEW_EVENTS = OLD_EVENTS + ", 'tax_claim', 'objection', 'objection_answered'"


def upgrade():
    op.create_table(
        'tax_claims',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('preference', sa.String(length=24), nullable=False),
        sa.Column('tax_year', sa.Integer(), nullable=False),
        sa.Column('claimant_credit_code', sa.String(length=18), nullable=False),
        sa.Column('claimant_name', sa.String(length=200), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('tax_office', sa.String(length=200), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("preference IN ('vat_exemption', 'income_tax_relief', 'rd_super_deduction')",
                           name=op.f('ck_tax_claims_preference')),
        sa.CheckConstraint('tax_year BETWEEN 2000 AND 2100', name=op.f('ck_tax_claims_tax_year')),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_tax_claims_contract_id_contracts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_tax_claims_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_claims')),
        sa.UniqueConstraint('contract_id', 'preference', 'claimant_credit_code', 'tax_year',
                            name=op.f('uq_tax_claims_once')),
    )
    with op.batch_alter_table('tax_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tax_claims_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tax_claims_tax_year'), ['tax_year'], unique=False)
    op.create_table(
        'tax_objections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('raised_by_id', sa.Integer(), nullable=False),
        sa.Column('tax_office', sa.String(length=200), nullable=False),
        sa.Column('raised_at', sa.DateTime(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=True),
        sa.Column('answer_note', sa.Text(), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('proposal_id', sa.Integer(), nullable=True),
        sa.Column('proposed_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'answered')", name=op.f('ck_tax_objections_status')),
        sa.CheckConstraint("outcome IS NULL OR outcome IN ('upheld', 'corrected', 'revoked', 'cancelled')",
                           name=op.f('ck_tax_objections_outcome')),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'],
                                name=op.f('fk_tax_objections_contract_id_contracts'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_tax_objections_raised_by_id_users')),
        sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'],
                                name=op.f('fk_tax_objections_answered_by_id_users')),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'],
                                name=op.f('fk_tax_objections_proposed_by_id_users')),
        sa.ForeignKeyConstraint(['proposal_id'], ['registration_proposals.id'],
                                name=op.f('fk_tax_objections_proposal_id_registration_proposals'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_objections')),
    )
    with op.batch_alter_table('tax_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tax_objections_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tax_objections_status'), ['status'], unique=False)
    with op.batch_alter_table('tax_events', schema=None) as batch_op:
        batch_op.alter_column('event', existing_type=sa.String(length=16), type_=sa.String(length=24),
                              existing_nullable=False)
        batch_op.drop_constraint(op.f('ck_tax_events_event'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tax_events_event'), f"event IN ({NEW_EVENTS})")


def downgrade():
    # the feed forgets the tax office's own events (they describe records this downgrade removes)
    op.execute("DELETE FROM tax_events WHERE event IN ('tax_claim', 'objection', 'objection_answered')")
    with op.batch_alter_table('tax_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tax_events_event'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tax_events_event'), f"event IN ({OLD_EVENTS})")
        batch_op.alter_column('event', existing_type=sa.String(length=24), type_=sa.String(length=16),
                              existing_nullable=False)
    with op.batch_alter_table('tax_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tax_objections_status'))
        batch_op.drop_index(batch_op.f('ix_tax_objections_contract_id'))
    op.drop_table('tax_objections')
    with op.batch_alter_table('tax_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tax_claims_tax_year'))
        batch_op.drop_index(batch_op.f('ix_tax_claims_contract_id'))
    op.drop_table('tax_claims')
