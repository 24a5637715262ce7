"""Test fixtures: a migrated database per test (SQLite copy, or PostgreSQL truncated), clients, accounts."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import threading
import uuid

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests import factories
from tests.factories import Account, create_account

TEST_DATABASE_URL = os.environ.get("TCR_TEST_DATABASE_URL")
IS_POSTGRES = bool(TEST_DATABASE_URL) and TEST_DATABASE_URL.startswith("postgresql")
# A test database need not survive a crash: its commits do not wait for the disk (isolation and locks unchanged).
NO_FLUSH_AT_COMMIT = 'ALTER DATABASE "%s" SET synchronous_commit TO off'
PKI_PASSPHRASE = "test-key-passphrase"  # noqa: S105 - throw-away test keys


def _pg_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def _migrate(uri: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "TESTING": True})
    with app.app_context():
        upgrade()
        from app.demo.seed import seed_stations

        seed_stations()
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """A database migrated from empty once per session: a SQLite template file, or a fresh PostgreSQL DB."""
    if IS_POSTGRES:
        admin = sa.create_engine(_pg_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
        name = f"tcr_test_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            conn.execute(sa.text(NO_FLUSH_AT_COMMIT % name))
        url = admin.url.set(database=name).render_as_string(hide_password=False)
        _migrate(url)
        yield {"kind": "postgresql", "url": url}
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        template = tmp_path_factory.mktemp("db") / "template.sqlite3"
        _migrate(f"sqlite:///{template}")
        yield {"kind": "sqlite", "path": template}


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    """A demo bureau root and a signing key for every demo station (and 130499, which tests create)."""
    from app.certificates.pki import create_demo_pki
    from app.demo.seed import station_definitions

    directory = tmp_path_factory.mktemp("certs")
    stations = [(code, name) for code, name, _ in station_definitions()] + [("130499", "测试登记站")]
    create_demo_pki(directory, PKI_PASSPHRASE.encode(), stations)
    return directory


def _reset_postgres(url: str) -> None:
    """Empty every table and restart every sequence: each test starts from the same state. DELETE with the
    foreign-key triggers off (the suite connects as a superuser) rather than TRUNCATE, which rewrites every table
    and index file and cost about a second per test."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
        ).scalars()
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        for table in tables:
            conn.execute(sa.text(f'DELETE FROM "{table}"'))
        conn.execute(
            sa.text(
                "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
                "FROM pg_sequences WHERE schemaname = 'public'"
            )
        )
    engine.dispose()


def _config(uri: str, files, pki_dir) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": uri,
        "TESTING": True,
        "STORAGE_DIR": str(files / "files"),
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "PASSWORD_HASH_PARAMS": {"time_cost": 1, "memory_cost": 1024},  # cheap argon2 for tests only
        "CERTS_DIR": str(pki_dir),
        "CERTS_PASSPHRASE": PKI_PASSPHRASE,
        "AUDIT_CHECKPOINT_PATH": str(files / "audit-checkpoints.jsonl"),
    }


def _copy_postgres(url: str, template: str) -> str:
    """A new PostgreSQL database made from `template` (the server copies it); returns its URL."""
    admin = sa.create_engine(_pg_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    name = f"tcr_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'))
        conn.execute(sa.text(NO_FLUSH_AT_COMMIT % name))
    admin.dispose()
    return sa.make_url(url).set(database=name).render_as_string(hide_password=False)


def _drop_postgres(url: str) -> None:
    admin = sa.create_engine(_pg_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def demo_database(database, tmp_path_factory, pki_dir):
    """The README's demo built once per session by its own commands (`flask demo seed`, then a small
    `flask demo synth`) on a copy of the migrated database; each test that uses it gets a copy of its own."""
    files = tmp_path_factory.mktemp("demo")
    if database["kind"] == "sqlite":
        path = files / "demo.sqlite3"
        shutil.copy(database["path"], path)
        uri, built = f"sqlite:///{path}", {"kind": "sqlite", "path": path}
    else:
        uri = _copy_postgres(database["url"], sa.make_url(database["url"]).database)
        built = {"kind": "postgresql", "url": uri, "template": sa.make_url(uri).database}
    app = create_app(_config(uri, files, pki_dir))
    runner = app.test_cli_runner()
    for args in (
        ["demo", "seed"],
        ["demo", "synth", "--contracts", "150", "--filings", "90", "--seed", "5"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    yield built
    if built["kind"] == "postgresql":
        _drop_postgres(uri)


@contextlib.contextmanager
def fresh_application(database, files, pki_dir):
    """An application on a clean, migrated database with Handan's stations, its files under `files`; the database
    is emptied and re-seeded afterwards (PostgreSQL), or was a throw-away copy (SQLite, and a PostgreSQL database
    made from a template such as the demo's)."""
    if database["kind"] == "sqlite":
        path = files / "tcr.sqlite3"
        shutil.copy(database["path"], path)
        uri = f"sqlite:///{path}"
    elif database.get("template"):
        uri = _copy_postgres(database["url"], database["template"])
    else:
        uri = database["url"]
    app = create_app(_config(uri, files, pki_dir))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if database.get("template"):
        _drop_postgres(uri)
    elif database["kind"] == "postgresql":
        _reset_postgres(uri)
        with app.app_context():
            from app.demo.seed import seed_stations

            seed_stations()
            db.session.commit()
            db.engine.dispose()


@pytest.fixture
def app(request, database, tmp_path, pki_dir):
    """The application on a clean, migrated database with Handan's stations; for a test of the demo site
    (`demo_site`), on a copy of the README's demo."""
    source = request.getfixturevalue("demo_database") if "demo_site" in request.fixturenames else database
    with fresh_application(source, tmp_path, pki_dir) as application:
        yield application


@pytest.fixture
def live_server(app):
    """The test application served over HTTP on a free local port, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_account(app):
    """make_account(role, **scope) → Account, committed."""

    def make(role: str = "applicant", **kwargs) -> Account:
        with app.app_context():
            return create_account(role, **kwargs)

    return make


class ApiClient:
    """A test client that sends a bearer token with every request."""

    def __init__(self, app, token: str):
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def _call(self, method: str, url: str, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return getattr(self.client, method)(url, headers=headers, **kwargs)

    def get(self, url, **kw):
        return self._call("get", url, **kw)

    def post(self, url, **kw):
        return self._call("post", url, **kw)

    def patch(self, url, **kw):
        return self._call("patch", url, **kw)

    def delete(self, url, **kw):
        return self._call("delete", url, **kw)

    def put(self, url, **kw):
        return self._call("put", url, **kw)


@pytest.fixture
def api_as(app):
    """api_as(account) → ApiClient authenticated with a fresh token of that account."""

    def make(account: Account) -> ApiClient:
        from app.accounts.services import tokens
        from app.models import User

        with app.app_context():
            _, plain = tokens.create_token(db.session.get(User, account.id), "test")
            db.session.commit()
        return ApiClient(app, plain)

    return make


@pytest.fixture
def role_accounts(make_account) -> dict[str, Account]:
    """One account per role the access matrices walk: the owner of the contracts, another enterprise,
    a reviewer of the owner's station (130402) and one of another station, bureau staff, a tax officer."""
    return {
        "owner": make_account("applicant"),
        "other_applicant": make_account("applicant", credit_code=factories.BUYER_CODE, org_name="别家公司"),
        "reviewer": make_account("reviewer", station_code="130402"),
        "other_reviewer": make_account("reviewer", station_code="130403"),
        "bureau": make_account("bureau"),
        "tax": make_account("tax", area_codes=("130402",)),
    }


@pytest.fixture
def applicant(make_account) -> Account:
    return make_account("applicant")


@pytest.fixture
def api(api_as, applicant) -> ApiClient:
    """An API client of the default applicant (seller 91330100716105852F in 130402)."""
    return api_as(applicant)


@pytest.fixture
def file_contract(api):
    """file_contract(**overrides) → the id of a submitted contract of the default applicant."""

    def make(**overrides) -> int:
        contract = api.post("/api/v1/contracts", json=factories.filing(**overrides)).json
        api.post(
            f"/api/v1/contracts/{contract['id']}/attachments",
            data={"kind": "contract_text", "file": (io.BytesIO(factories.MINIMAL_PDF), "c.pdf")},
        )
        response = api.post(f"/api/v1/contracts/{contract['id']}/submit", json={})
        assert response.status_code == 200, response.json
        return contract["id"]

    return make


def login(client, email: str, password: str):
    """Sign in through the log-in page, with its CSRF token."""
    from tests.factories import csrf_from

    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_from(page.text)})
