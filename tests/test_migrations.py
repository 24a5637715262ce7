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


def test_the_rollup_migration_fills_it_as_the_application_keeps_it(app):
    """The rollup migration's frozen SQL gives, cell for cell, what app.statistics.services.rollup keeps today."""
    from sqlalchemy import select, true, update

    from app.demo import synth
    from app.models import Contract, ContractParty, StatsRollup
    from app.statistics.services import rollup, stats_facts

    with app.app_context():
        synth.generate(80, seed=4, batch=40)
        ids = db.session.scalars(select(Contract.id).order_by(Contract.id)).all()
        db.session.execute(
            update(ContractParty)
            .where(ContractParty.contract_id.in_(ids[::5]), ContractParty.role == "seller")
            .values(area_code="110108", nature="110")
        )
        db.session.execute(update(Contract).where(Contract.id.in_(ids[1::9])).values(status="revoked"))
        stats_facts.rebuild()
        db.session.commit()
        expected = rollup.cells_of(true())
        db.session.commit()
        downgrade(revision=_script().get_revision("b8d2f4a6c913").down_revision)
        assert "stats_rollup" not in sa.inspect(db.engine).get_table_names()
        upgrade()
        columns = [getattr(StatsRollup, name) for name in rollup.KEY + rollup.SUMS]
        filled = {tuple(row[:6]): tuple(int(v) for v in row[6:]) for row in db.session.execute(select(*columns))}
    assert len({key[0] for key in expected}) == len(rollup.GROUPINGS) and filled == expected


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


def test_the_equity_migration_turns_the_former_subtype_into_the_flag_and_keeps_the_history(app):
    """A contract registered as the former transfer sub-type "equity" comes out flagged, with the sub-type its rights
    say (a patent with its number: patent right; know-how: know-how; else other transfer), its statistics fact
    following, and its status history untouched; downgrading gives the sub-type back."""
    from sqlalchemy import func, select, text, update

    from app.demo import synth
    from app.models import Contract, RegistrationFact, StatusChange
    from app.statistics.services import stats_facts

    rights = {
        "patent": ("invention_patent", ["201310699744.2"], "patent_right"),
        "bare_patent": ("utility_model", [], "other_transfer"),
        "know_how": ("know_how", [], "know_how"),
        "software": ("software_copyright", ["2020SR0123456"], "other_transfer"),
    }
    with app.app_context():
        synth.generate(12, seed=5, batch=12)
        ids = dict(zip(rights, db.session.scalars(select(Contract.id).order_by(Contract.id)).all()))
        for name, (ip_type, numbers, _) in rights.items():
            db.session.execute(
                update(Contract)
                .where(Contract.id == ids[name])
                .values(category="transfer", subtype="patent_application_right", ip_type=ip_type, ip_numbers=numbers)
            )
        stats_facts.rebuild()
        db.session.commit()

        def history():
            rows = select(StatusChange.contract_id, func.count()).group_by(StatusChange.contract_id)
            return dict(db.session.execute(rows).all())

        before = history()
        db.session.commit()  # end the reading transaction: on PostgreSQL its locks would block dropping an index
        downgrade(revision=_script().get_revision("c4e8a2d6f1b3").down_revision)
        marked = ", ".join(str(i) for i in ids.values())
        db.session.execute(text(f"UPDATE contracts SET subtype = 'equity' WHERE id IN ({marked})"))
        db.session.execute(text(f"UPDATE registration_facts SET subtype = 'equity' WHERE contract_id IN ({marked})"))
        db.session.commit()
        upgrade()
        contracts = {c.id: c for c in db.session.scalars(select(Contract))}
        facts = {f.contract_id: f for f in db.session.scalars(select(RegistrationFact))}
        for name, (_, _, subtype) in rights.items():
            contract, fact = contracts[ids[name]], facts[ids[name]]
            assert (contract.subtype, contract.contributed_as_equity) == (subtype, True), name
            assert (fact.subtype, fact.contributed_as_equity) == (subtype, True), name
        others = [c for i, c in contracts.items() if i not in ids.values()]
        assert not any(c.contributed_as_equity or c.signed_by_internal_unit or c.government_funded for c in others)
        assert history() == before
        db.session.commit()
        downgrade(revision=_script().get_revision("c4e8a2d6f1b3").down_revision)
        restored = db.session.execute(text(f"SELECT DISTINCT subtype FROM contracts WHERE id IN ({marked})")).scalars()
        assert set(restored) == {"equity"}
        db.session.commit()
        upgrade()


def test_the_other_parties_migration_leaves_existing_contracts_with_their_seller_and_buyer_only(app, file_contract):
    """Contracts filed before the revision keep their two parties and have no other; the role is constrained in the
    database; downgrading drops the other parties and nothing else."""
    import pytest
    from sqlalchemy import select, text
    from sqlalchemy.exc import IntegrityError

    from app.models import Contract, ContractParty

    contract_id = file_contract()
    with app.app_context():
        downgrade(revision=_script().get_revision("b4c2d8e6f013").down_revision)
        assert "contract_other_parties" not in sa.inspect(db.engine).get_table_names()
        upgrade()
        db.session.expire_all()
        contract = db.session.get(Contract, contract_id)
        assert contract.other_parties == [] and {p.role for p in contract.parties} == {"seller", "buyer"}
        assert db.session.scalar(select(sa.func.count()).select_from(ContractParty)) == 2
        with pytest.raises(IntegrityError):
            db.session.execute(
                text(
                    "INSERT INTO contract_other_parties (contract_id, position, role, country) "
                    f"VALUES ({contract_id}, 0, 'witness', '156')"
                )
            )
            db.session.flush()
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
        downgrade(revision=_script().get_revision("246aba434a43").down_revision)
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


def test_the_expert_review_migration_keeps_the_longer_clock_of_earlier_filings_with_their_station(app):
    """A filing that had the longer limit of expert review keeps it and its due date, and stays with its station
    (no panel was ever asked); the new status, outcome and tables are constrained in the database too; going back
    returns a filing held by the panel to its station."""
    from datetime import date

    import pytest
    from sqlalchemy import select, text
    from sqlalchemy.exc import IntegrityError

    from app.models import Contract
    from tests.factories import create_account

    with app.app_context():
        applicant = create_account("applicant")
        organisation_id, user_id = applicant.organisation_id, applicant.id
        db.session.commit()
        revision = _script().get_revision("c4e8a1f27d93")
        downgrade(revision=revision.down_revision)
        assert "station_institutions" not in sa.inspect(db.engine).get_table_names()
        db.session.execute(
            text(
                "INSERT INTO contracts (organisation_id, created_by_id, station_id, status, rule_set, ip_numbers,"
                " acknowledged_warnings, due_provisional, expert_review, version, due_on, created_at, updated_at)"
                " VALUES (:org, :user, (SELECT id FROM stations WHERE code = '130402'), 'accepted', 'miit-2026',"
                " '[]', '[]', false, true, 0, :due, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"org": organisation_id, "user": user_id, "due": date(2026, 12, 30)},
        )
        db.session.commit()
        upgrade()
        kept = db.session.execute(
            select(Contract.status, Contract.expert_review, Contract.due_on, Contract.expert_outcome)
        ).one()
        assert tuple(kept) == ("accepted", True, date(2026, 12, 30), None)
        db.session.rollback()
        for statement in (
            "UPDATE contracts SET expert_outcome = 'maybe'",
            "UPDATE contracts SET status = 'with_experts'",
            "INSERT INTO station_institutions (station_id, credit_code, name)"
            " SELECT id, '12130400MB1600001X', s.name FROM stations s",  # one institution, several stations
        ):
            with pytest.raises(IntegrityError):
                db.session.execute(text(statement))
                db.session.flush()
            db.session.rollback()
        db.session.execute(text("UPDATE contracts SET status = 'expert_review', expert_outcome = 'supports'"))
        db.session.execute(text("UPDATE stations SET commitment_days = 10"))
        db.session.commit()
        downgrade(revision=revision.down_revision)
        assert db.session.execute(text("SELECT status FROM contracts")).scalar() == "accepted"
        db.session.rollback()  # no open transaction may hold a lock the next migration waits for
        upgrade()
