"""Subsidy programmes and claims (市级财政专项补贴); an index on the other parties' credit codes.

Revision ID: e5b7c3a9d214
Revises: d5a7c3e9b214
Create Date: 2026-11-30 16:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "e5b7c3a9d214"
down_revision = "d5a7c3e9b214"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=18, scale=2)


def upgrade():
    op.create_table(
        "subsidy_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("beneficiary", sa.String(length=16), nullable=False),
        sa.Column("basis", sa.String(length=24), nullable=False),
        sa.Column("rate", sa.Numeric(precision=9, scale=6), nullable=False),
        sa.Column("cap_per_contract", MONEY, nullable=True),
        sa.Column("cap_per_organisation_year", MONEY, nullable=True),
        sa.Column("budget", MONEY, nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("open_from", sa.Date(), nullable=False),
        sa.Column("open_until", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "beneficiary IN ('buyer', 'seller', 'intermediary', 'platform')",
            name=op.f("ck_subsidy_programmes_beneficiary"),
        ),
        sa.CheckConstraint(
            "basis IN ('contract_amount', 'technical_amount', 'equity')", name=op.f("ck_subsidy_programmes_basis")
        ),
        sa.CheckConstraint("rate > 0 AND rate <= 1", name=op.f("ck_subsidy_programmes_rate")),
        sa.CheckConstraint("open_from <= open_until", name=op.f("ck_subsidy_programmes_window")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_subsidy_programmes_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_programmes")),
    )
    op.create_table(
        "subsidy_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("registration_number", sa.String(length=40), nullable=False),
        sa.Column("beneficiary_credit_code", sa.String(length=18), nullable=False),
        sa.Column("beneficiary_name", sa.String(length=200), nullable=False),
        sa.Column("beneficiary_role", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("basis_amount", MONEY, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("flagged", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("flag_reason", sa.Text(), nullable=True),
        sa.Column("flagged_at", sa.DateTime(), nullable=True),
        sa.Column("external", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("external_registry", sa.String(length=200), nullable=True),
        sa.Column("certificate_sha256", sa.String(length=64), nullable=True),
        sa.Column("certificate_filename", sa.String(length=255), nullable=True),
        sa.Column("certificate_check", sa.String(length=16), nullable=True),
        sa.Column("certificate_reason", sa.Text(), nullable=True),
        sa.Column("certificate_signer", sa.String(length=500), nullable=True),
        sa.Column("claimed_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("paid_by_id", sa.Integer(), nullable=True),
        sa.Column("paid_at", sa.DateTime(), nullable=True),
        sa.Column("cleared_by_id", sa.Integer(), nullable=True),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'paid')", name=op.f("ck_subsidy_claims_status")
        ),
        sa.CheckConstraint(
            "beneficiary_role IN ('buyer', 'seller', 'intermediary', 'platform')",
            name=op.f("ck_subsidy_claims_beneficiary_role"),
        ),
        sa.CheckConstraint(
            "certificate_check IS NULL OR certificate_check IN ('valid', 'invalid', 'unknown')",
            name=op.f("ck_subsidy_claims_check"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["subsidy_programmes.id"], name=op.f("fk_subsidy_claims_programme_id_subsidy_programmes")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_subsidy_claims_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(["claimed_by_id"], ["users.id"], name=op.f("fk_subsidy_claims_claimed_by_id_users")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_subsidy_claims_decided_by_id_users")),
        sa.ForeignKeyConstraint(["paid_by_id"], ["users.id"], name=op.f("fk_subsidy_claims_paid_by_id_users")),
        sa.ForeignKeyConstraint(["cleared_by_id"], ["users.id"], name=op.f("fk_subsidy_claims_cleared_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_claims")),
        sa.UniqueConstraint(
            "programme_id",
            "registration_number",
            "beneficiary_credit_code",
            name="uq_subsidy_claims_once",
        ),
    )
    with op.batch_alter_table("subsidy_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subsidy_claims_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_subsidy_claims_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_subsidy_claims_beneficiary_credit_code"), ["beneficiary_credit_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_subsidy_claims_status"), ["status"], unique=False)
    with op.batch_alter_table("contract_other_parties", schema=None) as batch_op:
        batch_op.create_index("ix_contract_other_parties_credit_code", ["credit_code"], unique=False)


def downgrade():
    with op.batch_alter_table("contract_other_parties", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_other_parties_credit_code")
    with op.batch_alter_table("subsidy_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_claims_status"))
        batch_op.drop_index(batch_op.f("ix_subsidy_claims_beneficiary_credit_code"))
        batch_op.drop_index(batch_op.f("ix_subsidy_claims_contract_id"))
        batch_op.drop_index(batch_op.f("ix_subsidy_claims_programme_id"))
    op.drop_table("subsidy_claims")
    op.drop_table("subsidy_programmes")
