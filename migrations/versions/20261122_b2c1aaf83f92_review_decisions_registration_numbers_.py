"""Review decisions: deadlines, registration numbers (per-station sequences), four-eyes proposals, the outbox.

Revision ID: b2c1aaf83f92
Revises: 16b30330fc2b
Create Date: 2026-11-22 01:31:09.845623

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2c1aaf83f92'
down_revision = '16b30330fc2b'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_sent_at'), ['sent_at'], unique=False)

    op.create_table('registration_sequences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_registration_sequences_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_sequences')),
    sa.UniqueConstraint('station_id', 'year', name=op.f('uq_registration_sequences_station_id_year'))
    )
    op.create_table('registration_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('subtype', sa.String(length=32), nullable=False),
    sa.Column('certified_technical_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('corrections', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_registration_proposals_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_registration_proposals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_registration_proposals_proposed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_proposals'))
    )
    with op.batch_alter_table('registration_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_proposals_contract_id'), ['contract_id'], unique=False)

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('clock_started_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('due_provisional', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('expert_review', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('amendment_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('registered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_contracts_due_on'), ['due_on'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contracts_approved_by_id_users'), 'users', ['approved_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_contracts_registered_by_id_users'), 'users', ['registered_by_id'], ['id'])

    


def downgrade():
    
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contracts_registered_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_contracts_approved_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contracts_due_on'))
        batch_op.drop_column('version')
        batch_op.drop_column('approved_by_id')
        batch_op.drop_column('registered_by_id')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('amendment_due_on')
        batch_op.drop_column('expert_review')
        batch_op.drop_column('due_provisional')
        batch_op.drop_column('due_on')
        batch_op.drop_column('clock_started_on')
        batch_op.drop_column('accepted_at')

    with op.batch_alter_table('registration_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_proposals_contract_id'))

    op.drop_table('registration_proposals')
    op.drop_table('registration_sequences')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_sent_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_contract_id'))

    op.drop_table('outbox_messages')
    
