"""Tax pulls: each read of the tax feed by an officer, shown as the officer's pull history."""
from alembic import op
import sqlalchemy as sa


revision = 'c7d41e2a9f30'
down_revision = 'b5e8ac9b2649'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tax_pulls',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pulled_at', sa.DateTime(), nullable=False),
    sa.Column('after_position', sa.BigInteger(), nullable=False),
    sa.Column('next_position', sa.BigInteger(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_tax_pulls_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_pulls'))
    )
    with op.batch_alter_table('tax_pulls', schema=None) as batch_op:
        batch_op.create_index('ix_tax_pulls_user_id_pulled_at', ['user_id', 'pulled_at'], unique=False)


def downgrade():
    with op.batch_alter_table('tax_pulls', schema=None) as batch_op:
        batch_op.drop_index('ix_tax_pulls_user_id_pulled_at')

    op.drop_table('tax_pulls')
