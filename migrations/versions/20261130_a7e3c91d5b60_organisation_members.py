"""Organisation members: an applicant's role within its organisation (admin or filer), and claims confirmed by an
invitation.

Revision ID: a7e3c91d5b60
Revises: a7d3e5c19b42
Create Date: 2026-11-30 12:00:00.000000

Every applicant account that exists before this revision speaks for its organisation alone: it becomes the
organisation's admin, so it can invite colleagues.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a7e3c91d5b60'
down_revision = 'a7d3e5c19b42'
branch_labels = None
depends_on = None

BASES = ("'licence_review', 'seller_registration', 'administrator', 'existing_account', "
         "'contest_resolution'")


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('org_role', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(op.f('ck_users_org_role'), "org_role IN ('admin', 'filer')")
    op.execute("UPDATE users SET org_role = 'admin' WHERE role = 'applicant'")
    with op.batch_alter_table('organisation_claims', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organisation_claims_basis'), type_='check')
        batch_op.create_check_constraint(op.f('ck_organisation_claims_basis'), f"basis IN ({BASES}, 'invitation')")


def downgrade():
    # an invited member's claim has no basis the earlier schema knows: it goes, and the account with it loses sight
    # of its organisation's other filings (as an unconfirmed account)
    op.execute("DELETE FROM organisation_claims WHERE basis = 'invitation'")
    with op.batch_alter_table('organisation_claims', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organisation_claims_basis'), type_='check')
        batch_op.create_check_constraint(op.f('ck_organisation_claims_basis'), f"basis IN ({BASES})")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_org_role'), type_='check')
        batch_op.drop_column('org_role')
