"""Migrations: one head, they build the schema from empty, and they match the models exactly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app.config import PROJECT_ROOT
from app.extensions import db


def _script() -> ScriptDirectory:
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return ScriptDirectory.from_config(config)


def test_there_is_one_head():
    assert len(_script().get_heads()) == 1


def test_migrations_never_import_the_application():
    for path in (PROJECT_ROOT / "migrations" / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "from app" not in source and "import app" not in source, path.name


def test_migrated_schema_matches_the_models(app):
    """The test database was built by running the migrations from empty; autogenerate finds no difference."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_downgrade_to_empty_and_upgrade_again(app):
    with app.app_context():
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        assert {"contracts", "audit_log", "stations"} <= set(sa.inspect(db.engine).get_table_names())
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        assert current == _script().get_current_head()


def test_the_statistics_migration_fills_the_facts_as_the_application_computes_them(app):
    """The migration's frozen backfill SQL gives, row for row, what app.statistics.services.stats_facts writes today."""
    from sqlalchemy import select, true, update

    from app.demo import synth
    from app.models import Contract, ContractParty, RegistrationFact
    from app.statistics.services import stats_facts

    with app.app_context():
        synth.generate(80, seed=9, batch=40)
        ids = db.session.scalars(select(Contract.id).order_by(Contract.id)).all()
        db.session.execute(
            update(ContractParty)
            .where(ContractParty.contract_id.in_(ids[::7]), ContractParty.role == "buyer")
            .values(country="840")
        )
        db.session.execute(update(Contract).where(Contract.id.in_(ids[1::9])).values(status="revoked"))
        db.session.commit()
        expected = set(db.session.execute(stats_facts.source(true())).all())
        db.session.commit()  # end the reading transaction: on PostgreSQL its locks would block the DROP TABLE
        downgrade(revision="c7d41e2a9f30")
        assert "registration_facts" not in sa.inspect(db.engine).get_table_names()
        upgrade()
        columns = [getattr(RegistrationFact, name) for name in stats_facts.FACT_COLUMNS]
        backfilled = set(db.session.execute(select(*columns)).all())
    assert len(expected) == 80 and backfilled == expected


def test_the_claims_migration_confirms_the_applicants_that_existed_before_it(app):
    """Every applicant with an organisation keeps its access: a confirmed claim on the basis "existing_account"."""
    from sqlalchemy import select

    from app.models import OrganisationClaim
    from tests.factories import create_account

    with app.app_context():
        applicant, bureau = create_account("applicant"), create_account("bureau")
        db.session.commit()
        downgrade(revision=_script().get_revision("3f1c2a9d7e41").down_revision)
        assert "organisation_claims" not in sa.inspect(db.engine).get_table_names()
        upgrade()
        rows = db.session.execute(
            select(
                OrganisationClaim.user_id,
                OrganisationClaim.organisation_id,
                OrganisationClaim.status,
                OrganisationClaim.basis,
            )
        ).all()
    assert rows == [(applicant.id, applicant.organisation_id, "confirmed", "existing_account")]
    assert bureau.id not in [row[0] for row in rows]


def test_the_members_migration_makes_every_existing_applicant_its_organisations_admin(app):
    """Applicants that exist before organisation members become admins; the role and the new claim basis are
    constrained in the database too (also after SQLite's batch rebuild of both tables)."""
    import pytest
    from sqlalchemy import select, text
    from sqlalchemy.exc import IntegrityError

    from app.models import User
    from tests.factories import create_account

    with app.app_context():
        applicant, bureau = create_account("applicant"), create_account("bureau")
        db.session.commit()
        downgrade(revision=_script().get_revision("a7e3c91d5b60").down_revision)
        assert "org_role" not in {column["name"] for column in sa.inspect(db.engine).get_columns("users")}
        upgrade()
        roles = dict(db.session.execute(select(User.id, User.org_role)).all())
        assert roles == {applicant.id: "admin", bureau.id: None}
        for statement in (
            "UPDATE users SET org_role = 'boss'",
            "UPDATE users SET role = 'nobody'",
            "UPDATE organisation_claims SET basis = 'hearsay'",
        ):
            with pytest.raises(IntegrityError):
                db.session.execute(text(statement))
                db.session.flush()
            db.session.rollback()
        db.session.execute(text("UPDATE organisation_claims SET basis = 'invitation'"))
        db.session.rollback()


def test_the_requests_migration_keeps_every_existing_contracts_amount_fixed(app):
    """Contracts filed before amounts could stay open had them fixed at signing; a request's kind and status are
    constrained in the database too."""
    import pytest
    from sqlalchemy import select, text
    from sqlalchemy.exc import IntegrityError

    from app.filing.schemas import ContractIn
    from app.filing.services import contracts
    from app.models import Contract, User
    from tests.factories import create_account, filing

    with app.app_context():
        account = create_account("applicant")
        contract_id = contracts.create_draft(db.session.get(User, account.id), ContractIn().load(filing())).id
        db.session.commit()
        downgrade(revision="a7e3c91d5b60")
        inspector = sa.inspect(db.engine)
        assert "amount_fixed" not in {column["name"] for column in inspector.get_columns("contracts")}
        assert "contract_requests" not in inspector.get_table_names()
        upgrade()
        assert db.session.execute(select(Contract.amount_fixed).where(Contract.id == contract_id)).scalar_one() is True
        for kind, status in (("amend", "pending"), ("cancel", "maybe")):
            with pytest.raises(IntegrityError):
                db.session.execute(
                    text(
                        "INSERT INTO contract_requests (contract_id, kind, status, changes, reason, created_by_id, "
                        "created_at) VALUES (:c, :k, :s, '{}', 'r', :u, CURRENT_TIMESTAMP)"
                    ),
                    {"c": contract_id, "k": kind, "s": status, "u": account.id},
                )
                db.session.flush()
            db.session.rollback()
