"""The one place a request (or a CLI command) commits or rolls back; services only flush.

A request's view runs, then the answer decides: a success (status below 400) commits everything the request
wrote, in one transaction; an error page, a problem+json answer or an exception rolls it all back. A refused act
(a service's `DomainError`) ends in `refused()` on both faces, whether the API's problem handler or a page catches
it: the act's writes are undone at once, unless the error keeps them, and nothing more is committed. The commit
happens inside the dispatch, so that a failed commit is answered like any other database error (503 for an
outage). A CLI command runs its work in `unit()`: committed when the block ends, rolled back on any error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g

from app.errors import DomainError
from app.extensions import db


def end_request(status: int) -> None:
    """Commit the request's work when it succeeded, else roll it back."""
    if status < 400 and not g.get("tcr_refused"):
        db.session.commit()
    else:
        db.session.rollback()


def refused(error: DomainError) -> None:
    """A service refused the act: undo what it wrote (a page then shows the stored state), or commit it where the
    error says it is kept; either way the request commits nothing more, even if its page then redirects."""
    if error.keep_changes:
        db.session.commit()
    else:
        db.session.rollback()
    g.tcr_refused = True


def commit_so_far() -> None:
    """Commit what the request wrote so far, before its outcome is known: only for the few facts kept even when
    the request then fails (a token's last use)."""
    db.session.commit()


@contextmanager
def unit() -> Iterator[None]:
    """One unit of work outside a request (a CLI command): committed at the end, rolled back on an error."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


class TransactionalFlask(Flask):
    """Flask whose every request ends in `end_request`, after the view and before the response leaves."""

    def dispatch_request(self):
        response = self.make_response(super().dispatch_request())
        end_request(response.status_code)
        return response
