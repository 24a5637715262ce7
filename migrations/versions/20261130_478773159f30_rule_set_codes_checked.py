"""Only rule-set codes that exist: contracts.rule_set (NULL for a draft never checked) and contract_findings.rule_set.

Revision ID: 478773159f30
Revises: 5e0c4a7b9d21
Create Date: 2026-11-30 10:00:00.000000

Rows written with another code (synthetic demo data stored the filing year, "2025") are first repaired to the code
the row's filing date selects, as app.domain.rules.rule_set_for does at this revision: "most-2000" before
2026-03-01, "miit-2026" from then on. A contract never filed goes by the day it was created (a draft shows the rule
set that would apply); a finding takes its contract's (repaired) code, or the day it was checked.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '478773159f30'
down_revision = '5e0c4a7b9d21'
branch_labels = None
depends_on = None

CODES = ("most-2000", "miit-2026")  # frozen: a later rule set widens these constraints in its own migration
SWITCH = "2026-03-01"  # the first day of miit-2026
CODE_LIST = ", ".join(f"'{code}'" for code in CODES)
INVALID = f"(rule_set IS NOT NULL AND rule_set NOT IN ({CODE_LIST}))"


def _by_day(column: str) -> str:
    return f"CASE WHEN {column} < '{SWITCH}' THEN '{CODES[0]}' ELSE '{CODES[1]}' END"


def upgrade():
    op.execute(f"UPDATE contracts SET rule_set = {_by_day('filed_on')} WHERE {INVALID} AND filed_on IS NOT NULL")
    op.execute(f"UPDATE contracts SET rule_set = {_by_day('created_at')} WHERE {INVALID} AND filed_on IS NULL")
    op.execute(f"UPDATE contract_findings SET rule_set = coalesce("
               f"(SELECT contracts.rule_set FROM contracts WHERE contracts.id = contract_findings.contract_id), "
               f"{_by_day('checked_at')}) WHERE rule_set IS NULL OR rule_set NOT IN ({CODE_LIST})")
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_contracts_rule_set'), f"rule_set IS NULL OR rule_set IN ({CODE_LIST})")
    with op.batch_alter_table('contract_findings', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_contract_findings_rule_set'), f"rule_set IN ({CODE_LIST})")


def downgrade():
    with op.batch_alter_table('contract_findings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contract_findings_rule_set'), type_='check')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contracts_rule_set'), type_='check')
