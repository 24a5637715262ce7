"""Initial schema: parties, accounts, stations, contracts with their parts, and the audit log.

Revision ID: 16b30330fc2b
Revises: 
Create Date: 2026-11-22 01:23:45.212649

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '16b30330fc2b'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_log_hash')),
    sa.UniqueConstraint('prev_hash', name=op.f('uq_audit_log_prev_hash'))
    )
    op.create_table('parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('nature', sa.String(length=3), nullable=True),
    sa.Column('area_code', sa.String(length=6), nullable=True),
    sa.Column('country', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('organisation', 'individual')", name=op.f('ck_parties_kind')),
    sa.CheckConstraint('credit_code IS NOT NULL OR id_number IS NOT NULL', name=op.f('ck_parties_identified')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parties')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_parties_credit_code')),
    sa.UniqueConstraint('id_number', name=op.f('uq_parties_id_number'))
    )
    op.create_table('stations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stations')),
    sa.UniqueConstraint('code', name=op.f('uq_stations_code'))
    )
    op.create_table('station_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_station_areas_station_id_stations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_station_areas')),
    sa.UniqueConstraint('area_code', name=op.f('uq_station_areas_area_code'))
    )
    with op.batch_alter_table('station_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_station_areas_station_id'), ['station_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('applicant', 'reviewer', 'bureau', 'tax')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['organisation_id'], ['parties.id'], name=op.f('fk_users_organisation_id_parties')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_users_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_station_id'), ['station_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('rule_set', sa.String(length=16), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=True),
    sa.Column('subtype', sa.String(length=32), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('technical_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('technical_field', sa.String(length=32), nullable=True),
    sa.Column('ip_type', sa.String(length=32), nullable=True),
    sa.Column('ip_numbers', sa.JSON(), nullable=False),
    sa.Column('plan_category', sa.String(length=16), nullable=True),
    sa.Column('payment_method', sa.String(length=32), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('license_exclusivity', sa.String(length=16), nullable=True),
    sa.Column('license_territory', sa.String(length=16), nullable=True),
    sa.Column('license_years', sa.Integer(), nullable=True),
    sa.Column('acknowledged_warnings', sa.JSON(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('registration_number', sa.String(length=16), nullable=True),
    sa.Column('certified_technical_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'accepted', 'amendment_requested', 'registered', 'refused', 'cancelled', 'revoked', 'withdrawn')", name=op.f('ck_contracts_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contracts_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['parties.id'], name=op.f('fk_contracts_organisation_id_parties')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_contracts_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('registration_number', name=op.f('uq_contracts_registration_number'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_category'), ['category'], unique=False)
        batch_op.create_index('ix_contracts_duplicate_key', ['title', 'signed_on', 'amount'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_status'), ['status'], unique=False)

    op.create_table('user_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_areas_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_areas'))
    )
    with op.batch_alter_table('user_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_areas_user_id'), ['user_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_attachments_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_sha256'), ['sha256'], unique=False)

    op.create_table('contract_findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=True),
    sa.Column('message_zh', sa.Text(), nullable=False),
    sa.Column('message_en', sa.Text(), nullable=False),
    sa.Column('rule_set', sa.String(length=16), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_findings_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_findings'))
    )
    with op.batch_alter_table('contract_findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_findings_contract_id'), ['contract_id'], unique=False)

    op.create_table('contract_parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('nature', sa.String(length=3), nullable=True),
    sa.Column('area_code', sa.String(length=6), nullable=True),
    sa.Column('country', sa.String(length=3), nullable=False),
    sa.CheckConstraint("role IN ('seller', 'buyer')", name=op.f('ck_contract_parties_role')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_parties_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_contract_parties_party_id_parties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_parties')),
    sa.UniqueConstraint('contract_id', 'role', name=op.f('uq_contract_parties_contract_id_role'))
    )
    with op.batch_alter_table('contract_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_parties_area_code'), ['area_code'], unique=False)
        batch_op.create_index('ix_contract_parties_credit_code', ['credit_code'], unique=False)

    op.create_table('deductions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_deductions_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deductions'))
    )
    with op.batch_alter_table('deductions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deductions_contract_id'), ['contract_id'], unique=False)

    op.create_table('status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=24), nullable=True),
    sa.Column('to_status', sa.String(length=24), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_status_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_status_changes_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_changes'))
    )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_changes_contract_id'), ['contract_id'], unique=False)

    


def downgrade():
    
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_changes_contract_id'))

    op.drop_table('status_changes')
    with op.batch_alter_table('deductions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deductions_contract_id'))

    op.drop_table('deductions')
    with op.batch_alter_table('contract_parties', schema=None) as batch_op:
        batch_op.drop_index('ix_contract_parties_credit_code')
        batch_op.drop_index(batch_op.f('ix_contract_parties_area_code'))

    op.drop_table('contract_parties')
    with op.batch_alter_table('contract_findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_findings_contract_id'))

    op.drop_table('contract_findings')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachments_contract_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('user_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_areas_user_id'))

    op.drop_table('user_areas')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contracts_status'))
        batch_op.drop_index(batch_op.f('ix_contracts_station_id'))
        batch_op.drop_index(batch_op.f('ix_contracts_organisation_id'))
        batch_op.drop_index('ix_contracts_duplicate_key')
        batch_op.drop_index(batch_op.f('ix_contracts_category'))

    op.drop_table('contracts')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_station_id'))
        batch_op.drop_index(batch_op.f('ix_users_organisation_id'))

    op.drop_table('users')
    with op.batch_alter_table('station_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_station_areas_station_id'))

    op.drop_table('station_areas')
    op.drop_table('stations')
    op.drop_table('parties')
    op.drop_table('audit_log')
    
