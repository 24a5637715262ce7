"""Technology as equity becomes a flag of transfer contracts; the filing states its situation (an internal unit
signed, a government-funded project).

Revision ID: c4e8a2d6f1b3
Revises: a7e3c91d5b60
Create Date: 2026-11-30 13:00:00.000000

A contract filed as the former transfer sub-type "equity" keeps its history and is flagged; its sub-type becomes
the one its recorded rights say: a patent with its number a patent right, know-how know-how, anything else an
other transfer. Its statistics facts and the station's proposals follow. Status history snapshots stay as they
were written. Downgrading turns every flagged contract back into the sub-type "equity".
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e8a2d6f1b3'
down_revision = 'a7e3c91d5b60'
branch_labels = None
depends_on = None

# the sub-type of a former equity contract c, from its IP type and numbers (catalogue.equity_subtype, frozen here)
SUBTYPE_OF = """CASE
    WHEN c.ip_type IN ('invention_patent', 'utility_model', 'design')
         AND c.ip_numbers IS NOT NULL AND CAST(c.ip_numbers AS TEXT) NOT IN ('[]', 'null', '')
        THEN 'patent_right'
    WHEN c.ip_type = 'know_how' THEN 'know_how'
    ELSE 'other_transfer'
END"""


def upgrade():
    flag = dict(server_default=sa.false(), nullable=False)
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contributed_as_equity', sa.Boolean(), **flag))
        batch_op.add_column(sa.Column('signed_by_internal_unit', sa.Boolean(), **flag))
        batch_op.add_column(sa.Column('government_funded', sa.Boolean(), **flag))
    with op.batch_alter_table('registration_facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contributed_as_equity', sa.Boolean(), **flag))
    # proposals first: they read the contract's IP while it is still marked by its old sub-type
    op.execute(f"UPDATE registration_proposals SET subtype = (SELECT {SUBTYPE_OF} FROM contracts c "
               "WHERE c.id = registration_proposals.contract_id) WHERE subtype = 'equity'")
    true = sa.true().compile(dialect=op.get_bind().dialect)
    op.execute(f"UPDATE contracts SET contributed_as_equity = {true}, "
               f"subtype = (SELECT {SUBTYPE_OF} FROM contracts c WHERE c.id = contracts.id) WHERE subtype = 'equity'")
    op.execute("UPDATE registration_facts SET "
               "contributed_as_equity = (SELECT c.contributed_as_equity FROM contracts c "
               "WHERE c.id = registration_facts.contract_id), "
               "subtype = (SELECT c.subtype FROM contracts c WHERE c.id = registration_facts.contract_id) "
               "WHERE subtype = 'equity'")


def downgrade():
    true = sa.true().compile(dialect=op.get_bind().dialect)
    op.execute(f"UPDATE registration_facts SET subtype = 'equity' WHERE contributed_as_equity = {true}")
    op.execute("UPDATE registration_proposals SET subtype = 'equity' WHERE category = 'transfer' AND contract_id IN "
               f"(SELECT id FROM contracts WHERE contributed_as_equity = {true})")
    op.execute(f"UPDATE contracts SET subtype = 'equity' WHERE contributed_as_equity = {true}")
    with op.batch_alter_table('registration_facts', schema=None) as batch_op:
        batch_op.drop_column('contributed_as_equity')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('government_funded')
        batch_op.drop_column('signed_by_internal_unit')
        batch_op.drop_column('contributed_as_equity')
