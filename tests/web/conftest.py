"""Fixtures of the page tests: clients signed in through the log-in page."""

from __future__ import annotations

import pytest

from tests.conftest import login


@pytest.fixture
def sign_in(app):
    """sign_in(account) → a test client signed in as that account through the log-in page."""

    def make(account):
        client = app.test_client()
        response = login(client, account.email, account.password)
        assert response.status_code == 302, response.text
        return client

    return make


@pytest.fixture
def web(sign_in, applicant):
    """A client signed in as the default applicant (seller 91330100716105852F in 130402)."""
    return sign_in(applicant)
