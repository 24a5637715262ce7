"""One transaction per request and per CLI command: kept on success, rolled back on a refusal or an error."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import transaction
from app.errors import Conflict
from app.extensions import db
from app.models import Station


def _station_exists(app, code: str) -> bool:
    with app.app_context():
        return db.session.scalars(select(Station).where(Station.code == code)).first() is not None


def _writing_view(status: int, fail: bool = False):
    def view():
        db.session.add(Station(code="139901", name="边界测试站", active=True))
        db.session.flush()  # what services do: flush, never commit
        if fail:
            raise Conflict("refused after writing")
        return "", status

    return view


@pytest.mark.parametrize(("status", "kept"), [(200, True), (302, True), (422, False), (404, False)])
def test_a_request_commits_on_success_and_rolls_back_otherwise(app, status, kept):
    app.add_url_rule("/boundary-test", "boundary_test", _writing_view(status))
    response = app.test_client().get("/boundary-test")
    assert response.status_code == status
    assert _station_exists(app, "139901") is kept


def test_a_domain_error_after_a_flush_leaves_nothing(app):
    app.add_url_rule("/boundary-test", "boundary_test", _writing_view(200, fail=True))
    response = app.test_client().get("/boundary-test", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert not _station_exists(app, "139901")


def test_a_command_unit_commits_at_its_end(app):
    with app.app_context():
        with transaction.unit():
            db.session.add(Station(code="139902", name="命令测试站", active=True))
    assert _station_exists(app, "139902")


def test_a_command_unit_rolls_back_on_an_error(app):
    with app.app_context():
        with pytest.raises(Conflict), transaction.unit():
            db.session.add(Station(code="139903", name="命令测试站", active=True))
            db.session.flush()
            raise Conflict("refused")
    assert not _station_exists(app, "139903")


def _page_refusing_after_writing(redirect_after: bool):
    def view():
        db.session.add(Station(code="139904", name="页面拒绝测试站", active=True))
        db.session.flush()
        try:
            raise Conflict("refused after writing")
        except Conflict as error:
            transaction.refused(error)
        db.session.add(Station(code="139905", name="拒绝之后写入", active=True))  # nothing after a refusal is kept
        return ("", 302, {"Location": "/"}) if redirect_after else ("", 409)

    return view


@pytest.mark.parametrize("redirect_after", [True, False])
def test_a_page_that_catches_a_refusal_keeps_nothing_even_when_it_redirects(app, redirect_after):
    app.add_url_rule("/boundary-test", "boundary_test", _page_refusing_after_writing(redirect_after))
    app.test_client().get("/boundary-test")
    assert not _station_exists(app, "139904") and not _station_exists(app, "139905")
