"""Command-line interface: click commands that call the services, each in one unit of work (app/transaction.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app import mail, transaction
from app.accounts.services import accounts, tokens
from app.audit.services import audit
from app.audit.services import checkpoints as audit_checkpoints
from app.certificates.pki import create_demo_pki
from app.demo import income as demo_income_data
from app.demo import seed as demo
from app.demo import synth, synth_filings
from app.errors import DomainError
from app.extensions import db
from app.models import Station, User
from app.stations import lookup as station_lookup
from app.statistics.services import stats_facts


def _fail(error: DomainError) -> None:
    """A refused command (its unit of work was rolled back) as click's error message."""
    details = "; ".join(f"{e.field}: {e.message}" for e in error.errors)
    raise click.ClickException(f"{error.detail} {details}".strip())


demo_cli = AppGroup("demo", help="Demo data.")
users_cli = AppGroup("users", help="User accounts.")
tokens_cli = AppGroup("tokens", help="API tokens.")
audit_cli = AppGroup("audit", help="The audit log.")
outbox_cli = AppGroup("outbox", help="Queued e-mails.")
certs_cli = AppGroup("certs", help="Signing keys and certificates.")
stats_cli = AppGroup("stats", help="Statistics.")


@demo_cli.command("seed")
def demo_seed() -> None:
    """Stations for Handan's areas and one account per role; prints the logins."""
    if current_app.config["ENV_MODE"] == "production":
        raise click.ClickException("demo data is not seeded in production mode")
    with transaction.unit():
        rows = demo.seed()
    click.echo("TCR demo accounts (password for all: %s)" % demo.DEMO_PASSWORD)
    for role, email, password, created in rows:
        click.echo(f"  {role:<10} {email:<24} {password}{'' if created else '  (already existed)'}")


@demo_cli.command("synth")
@click.option("--contracts", type=click.IntRange(min=1), required=True, help="How many registrations to write.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed (same seed, same data).")
@click.option("--batch", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows per insert batch.")
@click.option("--unless-present", is_flag=True, help="Write nothing when the registry already has registrations.")
@click.option(
    "--filings",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Also write filings in review or refused, with their history (for supervision).",
)
def demo_synth(contracts, seed, batch, unless_present, filings) -> None:
    """Fill the database with synthetic registrations (bulk inserts, with their history, tax-feed events and
    statistics facts; no certificates)."""
    if current_app.config["ENV_MODE"] == "production":
        raise click.ClickException("synthetic data is not written in production mode")
    with transaction.unit():
        demo.seed_stations()
    if unless_present and synth.registrations_present():
        click.echo("registrations present: nothing written")
        return
    summary = synth.generate(
        contracts, seed=seed, batch=batch, progress=lambda n: click.echo(f"  {n} registrations written", err=True)
    )
    click.echo(f"wrote {summary.contracts} registrations and {summary.parties} organisations")
    if filings:
        click.echo(f"wrote {synth_filings.generate(filings, seed=seed)} filings in review or refused")
    with transaction.unit():  # the demo tax office's claims and objection, on the registrations just written
        click.echo(f"wrote {demo.seed_tax_answers()} acts of the demo tax office")
    with transaction.unit():  # a buyer's subsidy claims, pending, approved and paid, on registrations of this year
        click.echo(f"wrote {demo.seed_subsidy_claims()} subsidy claims of the demo buyer ({demo.SUBSIDY_BUYER})")


@demo_cli.command("income")
def demo_income() -> None:
    """A registered contract of the demo enterprise with researchers and verified technical income (after `demo
    seed`, `certs init` and `demo synth`)."""
    if current_app.config["ENV_MODE"] == "production":
        raise click.ClickException("demo data is not written in production mode")
    with transaction.unit():
        contract = demo_income_data.seed_income()
    click.echo(f"technical-income demo: contract {contract.id}" if contract else "technical-income demo not written")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["applicant", "reviewer", "bureau", "tax"]), required=True)
@click.option("--name", default="")
@click.option("--org", "credit_code", help="Applicant's organisation (unified social credit code).")
@click.option("--org-name", help="Name of the organisation, when it is new.")
@click.option("--area", help="Division code of the organisation, when it is new.")
@click.option("--nature", help="Nature code of the organisation, when it is new.")
@click.option("--station", "station_code", help="Reviewer's station code.")
@click.option("--areas", "area_list", help="Tax officer's area codes, comma-separated.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email, role, name, credit_code, org_name, area, nature, station_code, area_list, password_stdin):
    """Create an account of any role."""
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    try:
        with transaction.unit():
            organisation = (
                accounts.find_or_create_organisation(credit_code.strip().upper(), org_name, area, nature)
                if credit_code
                else None
            )
            station = station_lookup.by_code(station_code) if station_code else None
            if station_code and station is None:
                raise click.ClickException(f"no station with code {station_code}")
            codes = [c.strip() for c in (area_list or "").split(",") if c.strip()]
            user = accounts.create_user(
                email, password, role, name, organisation=organisation, station=station, area_codes=codes
            )
            user.must_change_password = True  # whoever runs the command knows the password: its owner changes it
    except DomainError as error:
        _fail(error)
    click.echo(f"created {user.role} {user.email} (id {user.id})")


def user_by_email(email: str) -> User:
    user = db.session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise click.ClickException(f"no user {email}")
    return user


@users_cli.command("disable")
@click.argument("email")
def users_disable(email):
    """Disable an account: its sessions end at once, it cannot sign in, its API tokens stop working."""
    with transaction.unit():
        user = accounts.set_active(user_by_email(email), False)
    click.echo(f"disabled {user.email}; every session of the account has ended")


@users_cli.command("enable")
@click.argument("email")
def users_enable(email):
    """Enable a disabled account again (its old sessions stay ended: it signs in afresh)."""
    with transaction.unit():
        user = accounts.set_active(user_by_email(email), True)
    click.echo(f"enabled {user.email}")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(tokens.TOKEN_SCOPES),
    help="An extra grant, e.g. tax:pii (ID numbers in clear in the tax feed); repeatable.",
)
def tokens_create(email, name, scopes):
    """Create an API token; prints it once, alone on the last line."""
    user = user_by_email(email)
    try:
        with transaction.unit():
            _, plain = tokens.create_token(user, name, scopes)
    except DomainError as error:
        _fail(error)
    click.echo(f"token for {user.email} ({name}); it is shown only this once:")
    click.echo(plain)


@audit_cli.command("verify")
def audit_verify():
    """Check the audit log's hash chain and every signed checkpoint; exits 1 when a row was altered or removed,
    the chain was rewritten, or rows were cut off up to the last checkpoint."""
    report = audit.verify_chain()
    anchors = audit_checkpoints.verify_checkpoints()
    if report.ok:
        click.echo(f"audit chain intact: {report.rows} rows")
    else:
        click.echo(f"audit chain BROKEN at row {report.broken_at}: {report.reason}", err=True)
    for problem in anchors.problems:
        click.echo(f"audit checkpoint FAILED: {problem}", err=True)
    if anchors.last is None:
        click.echo(
            "no signed checkpoint yet: run `flask audit checkpoint` (rewriting or truncation would go unnoticed)",
            err=True,
        )
    elif not anchors.problems:
        click.echo(
            f"{anchors.checked} checkpoint(s) verified; the last anchors row {anchors.last.last_id} "
            f"({anchors.last.at}); {audit.rows_after(anchors.last.last_id)} row(s) after it not yet anchored"
        )
    if not report.ok or anchors.problems:
        sys.exit(1)


@audit_cli.command("checkpoint")
def audit_checkpoint():
    """Sign the chain's head with the bureau's key; append it to TCR_AUDIT_CHECKPOINT_PATH and the log."""
    try:
        checkpoint = audit_checkpoints.take_checkpoint()
    except (OSError, ValueError, TypeError) as error:
        raise click.ClickException(
            f"the bureau's key cannot be used (run `flask certs init`, check "
            f"TCR_CERTS_DIR and TCR_CERTS_PASSPHRASE): {error}"
        ) from error
    if checkpoint is None:
        click.echo("the audit log is empty: nothing to anchor")
        return
    click.echo(
        f"checkpoint: row {checkpoint.last_id}, {checkpoint.rows} rows, hash {checkpoint.hash}, "
        f"signed by {checkpoint.signed_by}"
    )


@outbox_cli.command("send")
def outbox_send():
    """Send the e-mails still waiting in the outbox (retries failed ones up to five times)."""
    with transaction.unit():
        sent = mail.deliver_pending(limit=1000)
    click.echo(f"sent {sent} message(s)")


@certs_cli.command("init")
def certs_init():
    """Create the demo bureau root CA and a key and certificate for every station under TCR_CERTS_DIR
    (existing keys are kept; private keys are encrypted with TCR_CERTS_PASSPHRASE)."""
    if current_app.config["ENV_MODE"] == "production":
        raise click.ClickException("production keys are configured, not generated: see certs/README.md")
    directory = Path(current_app.config["CERTS_DIR"])
    stations = [(s.code, s.name) for s in db.session.scalars(select(Station).order_by(Station.code))]
    create_demo_pki(directory, current_app.config["CERTS_PASSPHRASE"].encode("utf-8"), stations)
    click.echo(f"bureau root and {len(stations)} station keys ready in {directory}")


@stats_cli.command("rebuild")
def stats_rebuild() -> None:
    """Recompute the statistics facts and their rollup from the registry (after a restore or a bulk correction)."""
    with transaction.unit():
        count = stats_facts.rebuild()
    click.echo(f"statistics rebuilt: {count} registrations")


def init_cli(app: Flask) -> None:
    """Add the command groups to `flask`."""
    for group in (demo_cli, users_cli, tokens_cli, audit_cli, outbox_cli, certs_cli, stats_cli):
        app.cli.add_command(group)
