"""The command line calls the same services: demo seed, users create, tokens create, audit verify."""

from __future__ import annotations

from sqlalchemy import func, select

from app.domain.identifiers import credit_code_status
from app.extensions import db
from app.models import Party, Station, User
from app.stations.lookup import by_code as stations_by_code


def test_demo_seed_creates_stations_and_one_account_per_role(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    for email in ("applicant@demo.tcr", "reviewer@demo.tcr", "bureau@demo.tcr", "tax@demo.tcr"):
        assert email in result.output
    assert "Demo-2026-tcr" in result.output
    with app.app_context():
        # the city, 18 districts and counties, and the university's institution station
        assert db.session.scalar(select(func.count()).select_from(Station)) == 20
        university = db.session.scalars(select(Station).where(Station.code == "130490")).one()
        assert [(i.name, credit_code_status(i.credit_code)) for i in university.institutions] == [
            ("河北工程大学", "valid")
        ]
        assert university.areas == [] and stations_by_code("130402").commitment_days == 10
        roles = set(db.session.scalars(select(User.role)))
    assert roles == {"applicant", "reviewer", "bureau", "tax"}
    with app.app_context():
        applicant = db.session.scalars(select(User).where(User.email == "applicant@demo.tcr")).one()
        assert applicant.active and applicant.claim.status == "confirmed"  # the demo applicant sees everything
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0 and "already existed" in again.output


def test_users_create_makes_the_organisation_and_tokens_create_prints_a_working_token(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "filer@example.cn",
            "--role",
            "applicant",
            "--org",
            "91330100716105852F",
            "--org-name",
            "杭州某公司",
            "--area",
            "130402",
            "--nature",
            "150",
            "--password-stdin",
        ],
        input="a-long-password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        party = db.session.scalars(select(Party).where(Party.credit_code == "91330100716105852F")).one()
        assert party.name == "杭州某公司"
        filer = db.session.scalars(select(User).where(User.email == "filer@example.cn")).one()
        assert (filer.claim.status, filer.claim.basis) == ("confirmed", "administrator")
    result = runner.invoke(args=["tokens", "create", "filer@example.cn", "--name", "ERP"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    response = app.test_client().get("/api/v1/contracts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_users_create_refuses_bad_input_without_storing_anything(app):
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=["users", "create", "x@example.cn", "--role", "bureau", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0 and "10" in short.output
    no_station = runner.invoke(
        args=["users", "create", "r@example.cn", "--role", "reviewer", "--station", "999999", "--password-stdin"],
        input="a-long-password\n",
    )
    assert no_station.exit_code != 0 and "999999" in no_station.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_reviewer_and_tax_accounts_get_their_scope(app):
    runner = app.test_cli_runner()
    assert (
        runner.invoke(
            args=["users", "create", "r@example.cn", "--role", "reviewer", "--station", "130403", "--password-stdin"],
            input="a-long-password\n",
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(
            args=["users", "create", "t@example.cn", "--role", "tax", "--areas", "130402,130403", "--password-stdin"],
            input="a-long-password\n",
        ).exit_code
        == 0
    )
    with app.app_context():
        reviewer = db.session.scalars(select(User).where(User.email == "r@example.cn")).one()
        tax = db.session.scalars(select(User).where(User.email == "t@example.cn")).one()
        assert reviewer.station.code == "130403"
        assert tax.area_codes == ["130402", "130403"]


def test_demo_seed_sets_the_plan_goals_and_synth_fills_only_an_empty_registry(app):
    from app.domain.clock import today_local
    from app.models import Contract, Goal

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        goals = {g.metric: g.target for g in db.session.scalars(select(Goal).where(Goal.year == today_local().year))}
    assert goals == {"technical_amount": 4500000000, "active_stations": 10}
    first = runner.invoke(args=["demo", "synth", "--contracts", "30", "--unless-present"])
    assert first.exit_code == 0 and "wrote 30 registrations" in first.output
    second = runner.invoke(args=["demo", "synth", "--contracts", "30", "--unless-present"])
    assert second.exit_code == 0 and "nothing written" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Contract)) == 30
