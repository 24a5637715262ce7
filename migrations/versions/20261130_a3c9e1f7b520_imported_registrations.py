"""Registrations imported from other registries for the absorption statistics, and their import batches.

Revision ID: a3c9e1f7b520
Revises: a7c4e2f19b63
Create Date: 2026-11-30 18:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "a3c9e1f7b520"
down_revision = "a7c4e2f19b63"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=18, scale=2)
SOURCES = "source IN ('beijing', 'tianjin', 'hebei', 'other')"


def upgrade():
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("registry_name", sa.String(length=200), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.CheckConstraint(SOURCES, name=op.f("ck_import_batches_source")),
        sa.ForeignKeyConstraint(["imported_by_id"], ["users.id"], name=op.f("fk_import_batches_imported_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_table(
        "imported_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("registration_number", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("subtype", sa.String(length=32), nullable=False),
        sa.Column("contributed_as_equity", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("technical_field", sa.String(length=32), nullable=True),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("technical_amount", MONEY, nullable=False),
        sa.Column("seller_name", sa.String(length=200), nullable=False),
        sa.Column("seller_credit_code", sa.String(length=18), nullable=False),
        sa.Column("seller_area", sa.String(length=6), nullable=False),
        sa.Column("seller_nature", sa.String(length=3), nullable=True),
        sa.Column("seller_country", sa.String(length=3), nullable=False),
        sa.Column("buyer_name", sa.String(length=200), nullable=False),
        sa.Column("buyer_credit_code", sa.String(length=18), nullable=False),
        sa.Column("buyer_area", sa.String(length=6), nullable=False),
        sa.Column("buyer_nature", sa.String(length=3), nullable=True),
        sa.Column("buyer_country", sa.String(length=3), nullable=False),
        sa.Column("first_batch_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(SOURCES, name=op.f("ck_imported_registrations_source")),
        sa.CheckConstraint(
            "status IN ('registered', 'cancelled', 'revoked')", name=op.f("ck_imported_registrations_status")
        ),
        sa.CheckConstraint(
            "amount >= 0 AND technical_amount >= 0 AND technical_amount <= amount",
            name=op.f("ck_imported_registrations_amounts"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_imported_registrations_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["first_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_imported_registrations_first_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_registrations")),
        sa.UniqueConstraint("source", "registration_number", name=op.f("uq_imported_registrations_source_registration_number")),
    )
    op.create_index(
        "ix_imported_registrations_registered_on", "imported_registrations", ["registered_on"], unique=False
    )


def downgrade():
    op.drop_index("ix_imported_registrations_registered_on", table_name="imported_registrations")
    op.drop_table("imported_registrations")
    op.drop_table("import_batches")
