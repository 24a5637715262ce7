"""Four eyes on changes: a registration proposal has a kind (registration | change), the changes it proposes and
why it needs a second reviewer.

Revision ID: 5e0c4a7b9d21
Revises: 1686b8b3242e
Create Date: 2026-11-30 10:00:00.000000

Existing proposals are all first registrations: the server defaults fill their kind (and no reasons).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e0c4a7b9d21'
down_revision = '1686b8b3242e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='registration', nullable=False))
        batch_op.add_column(sa.Column('changes', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('review_reasons', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    with op.batch_alter_table('registration_proposals', schema=None) as batch_op:
        batch_op.drop_column('review_reasons')
        batch_op.drop_column('changes')
        batch_op.drop_column('kind')
