"""Tax feed: events stamped with a commit-order position by the relay, and scopes on API tokens."""
from alembic import op
import sqlalchemy as sa


revision = 'b5e8ac9b2649'
down_revision = '92d7c6d597dd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tax_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=True),
    sa.Column('event', sa.String(length=16), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('registration_number', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('seller_area', sa.String(length=6), nullable=True),
    sa.Column('buyer_area', sa.String(length=6), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.CheckConstraint("event IN ('registered', 'changed', 'cancelled', 'revoked')", name=op.f('ck_tax_events_event')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_tax_events_contract_id_contracts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_events'))
    )
    with op.batch_alter_table('tax_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tax_events_buyer_area'), ['buyer_area'], unique=False)
        batch_op.create_index(batch_op.f('ix_tax_events_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tax_events_position'), ['position'], unique=True)
        batch_op.create_index(batch_op.f('ix_tax_events_seller_area'), ['seller_area'], unique=False)
        batch_op.create_index('ix_tax_events_unpublished', ['id'], unique=False, postgresql_where=sa.text('position IS NULL'), sqlite_where=sa.text('position IS NULL'))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', sa.JSON(), server_default='[]', nullable=False))



def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('scopes')

    with op.batch_alter_table('tax_events', schema=None) as batch_op:
        batch_op.drop_index('ix_tax_events_unpublished', postgresql_where=sa.text('position IS NULL'), sqlite_where=sa.text('position IS NULL'))
        batch_op.drop_index(batch_op.f('ix_tax_events_seller_area'))
        batch_op.drop_index(batch_op.f('ix_tax_events_position'))
        batch_op.drop_index(batch_op.f('ix_tax_events_contract_id'))
        batch_op.drop_index(batch_op.f('ix_tax_events_buyer_area'))

    op.drop_table('tax_events')
