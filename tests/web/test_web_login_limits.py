"""Log-in limits: per client address and account, a looser ceiling per address, failures only, and the client
address taken from X-Forwarded-For only through the configured number of proxies."""

from __future__ import annotations

import os

import pytest

from app import create_app
from app.extensions import db
from tests.factories import csrf_from

WRONG = "Wrong-password-1"  # noqa: S105 - test value


@pytest.fixture
def limited(app):
    """limited(**settings) → an application with the log-in limits on (3 per account, 6 per address)."""
    made = []

    def make(**settings):
        limited_app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "TESTING": True,
                "STORAGE_DIR": app.config["STORAGE_DIR"],
                "SECRET_KEY": "test-secret",
                "PASSWORD_HASH_PARAMS": {"time_cost": 1, "memory_cost": 1024},
                "RATELIMIT_ENABLED": True,
                "LOGIN_RATE_LIMIT": "3 per minute",
                "LOGIN_ADDRESS_RATE_LIMIT": "6 per minute",
                **settings,
            }
        )
        made.append(limited_app)
        return limited_app

    yield make
    for limited_app in made:
        with limited_app.app_context():
            db.session.remove()
            db.engine.dispose()


def attempt(client, email: str, password: str = WRONG, **headers) -> int:
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, headers=headers
    ).status_code


def test_an_attacker_exhausting_its_key_does_not_lock_out_another_user_at_the_same_address(limited, applicant):
    app = limited()
    attacker, colleague = app.test_client(), app.test_client()  # one office, one public address
    assert [attempt(attacker, "victim@example.cn") for _ in range(4)] == [200, 200, 200, 429]
    assert attempt(colleague, applicant.email, applicant.password) == 302
    assert attempt(colleague, "victim@example.cn") == 429  # the exhausted key stays closed
    assert attempt(attacker, "VICTIM@example.cn ") == 429  # the account name is case-folded and trimmed


def test_the_address_ceiling_stops_one_address_guessing_across_many_accounts(limited, applicant):
    client = limited().test_client()
    answers = [attempt(client, f"user{n}@example.cn") for n in range(7)]
    assert answers == [200] * 6 + [429]
    assert attempt(client, applicant.email, applicant.password) == 429


def test_successful_log_ins_do_not_count(limited, applicant):
    client = limited().test_client()
    assert [attempt(client, applicant.email, applicant.password) for _ in range(5)] == [302] * 5
    assert [attempt(client, applicant.email) for _ in range(4)] == [200, 200, 200, 429]


def test_behind_a_configured_proxy_each_forwarded_client_has_its_own_limits(limited, applicant):
    app = limited(PROXY_COUNT=1)
    client = app.test_client()
    assert [attempt(client, "victim@example.cn", **{"X-Forwarded-For": "198.51.100.7"}) for _ in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    assert attempt(client, "victim@example.cn", **{"X-Forwarded-For": "198.51.100.8"}) == 200
    # a client cannot pick its address by prepending its own entry: the proxy's appended one counts
    assert attempt(client, "victim@example.cn", **{"X-Forwarded-For": "10.9.9.9, 198.51.100.7"}) == 429


def test_without_a_configured_proxy_x_forwarded_for_is_ignored(limited):
    client = limited().test_client()
    answers = [attempt(client, "victim@example.cn", **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(4)]
    assert answers == [200, 200, 200, 429]


@pytest.mark.skipif(not os.environ.get("TCR_TEST_REDIS_URL"), reason="set TCR_TEST_REDIS_URL to test against Redis")
def test_the_counts_live_in_redis_and_every_worker_sees_them(limited, applicant):
    import uuid

    import redis

    url = os.environ["TCR_TEST_REDIS_URL"]
    prefix = f"tcr-test-{uuid.uuid4().hex[:12]}"
    store = redis.Redis.from_url(url)
    try:
        first_worker = limited(RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix).test_client()
        assert [attempt(first_worker, "victim@example.cn") for _ in range(2)] == [200, 200]
        assert store.keys(f"*{prefix}*"), "no counter was written to Redis"
        # a new worker starts with a new storage connection: in memory it would count from zero again
        second_worker = limited(RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix).test_client()
        assert [attempt(second_worker, "victim@example.cn") for _ in range(2)] == [200, 429]
        assert attempt(second_worker, applicant.email, applicant.password) == 302
    finally:
        keys = store.keys(f"*{prefix}*")
        if keys:
            store.delete(*keys)
        store.close()


def test_guessing_the_current_password_from_a_signed_in_session_is_limited(limited, applicant):
    client = limited().test_client()
    assert attempt(client, applicant.email, applicant.password) == 302
    token = csrf_from(client.get("/account/password").text)
    form = {
        "current_password": WRONG,
        "new_password": "Battery-Staple-42",
        "confirm_password": "Battery-Staple-42",
        "csrf_token": token,
    }
    answers = [client.post("/account/password", data=form).status_code for _ in range(4)]
    assert answers == [422, 422, 422, 429]
