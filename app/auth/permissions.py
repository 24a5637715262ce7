"""Permissions as data: one enum of "resource:action" and one role → permission table, plus object checks."""

from __future__ import annotations

import operator
from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, false, or_

from app.errors import NotFound
from app.extensions import db, login_manager
from app.models import Contract


class Permission(str, Enum):
    """Everything a role may be allowed to do."""

    CONTRACT_FILE = "contract:file"  # create, edit, attach, submit own organisation's filings
    CONTRACT_READ_OWN = "contract:read_own"  # the organisation's own filings
    CONTRACT_READ_STATION = "contract:read_station"  # filings routed to the user's station
    CONTRACT_READ_ALL = "contract:read_all"  # every filing (bureau)
    TOKEN_MANAGE = "token:manage"  # create and revoke one's own API tokens
    CONTRACT_REVIEW = "contract:review"  # decide on filings routed to the user's station
    CONTRACT_REASSIGN = "contract:reassign"  # move a filing to another station (bureau)
    STATION_MANAGE = "station:manage"  # create and edit stations and their reviewers (bureau)
    EXPERT_OPINION_RECORD = "expert_opinion:record"  # record the expert panel's opinion on a filing (bureau)
    TAX_READ = "tax:read"  # registrations in the officer's areas: feed, exports, look-up
    TAX_WRITE_BACK = "tax:write_back"  # record preferences claimed and object to registrations in the officer's areas
    TAX_WRITE_BACK_READ = "tax:write_back_read"  # every claim and objection, the preferences used per year (bureau)
    STATS_READ = "stats:read"  # statistics: the city's (bureau) or the user's own station's
    GOAL_MANAGE = "goal:manage"  # set the yearly targets the dashboard measures progress against
    STATION_SUPERVISE = "station:supervise"  # every station's time limits, workload and decision quality
    CLAIM_REVIEW = "claim:review"  # confirm or reject organisation claims in the station's areas
    CLAIM_RESOLVE = "claim:resolve"  # every claim, contests included (bureau)
    MEMBER_MANAGE = "member:manage"  # invite, re-role and remove the organisation's members (its admins only)
    BROKER_MANAGE = "broker:manage"  # register technology brokers, see all of them, suspend and revoke (bureau)
    SUBSIDY_CLAIM = "subsidy:claim"  # claim the city's subsidies for the organisation's registrations
    SUBSIDY_MANAGE = "subsidy:manage"  # define subsidy programmes, decide and pay claims (bureau)
    REPORT_MANAGE = "report:manage"  # the reports upward: national tables, freezing a year, the upload file (bureau)
    REGISTRATION_IMPORT = "registration:import"  # import other registries' registrations for absorption (bureau)


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "applicant": frozenset(
        {
            Permission.CONTRACT_FILE,
            Permission.CONTRACT_READ_OWN,
            Permission.TOKEN_MANAGE,
            Permission.MEMBER_MANAGE,
            Permission.SUBSIDY_CLAIM,
        }
    ),
    "reviewer": frozenset(
        {
            Permission.CONTRACT_READ_STATION,
            Permission.CONTRACT_REVIEW,
            Permission.TOKEN_MANAGE,
            Permission.STATS_READ,
            Permission.CLAIM_REVIEW,
        }
    ),
    "bureau": frozenset(
        {
            Permission.CONTRACT_READ_ALL,
            Permission.CONTRACT_REASSIGN,
            Permission.STATION_MANAGE,
            Permission.EXPERT_OPINION_RECORD,
            Permission.TOKEN_MANAGE,
            Permission.STATS_READ,
            Permission.GOAL_MANAGE,
            Permission.STATION_SUPERVISE,
            Permission.CLAIM_REVIEW,
            Permission.CLAIM_RESOLVE,
            Permission.BROKER_MANAGE,
            Permission.TAX_WRITE_BACK_READ,
            Permission.SUBSIDY_MANAGE,
            Permission.REPORT_MANAGE,
            Permission.REGISTRATION_IMPORT,
        }
    ),
    "tax": frozenset({Permission.TAX_READ, Permission.TAX_WRITE_BACK, Permission.TOKEN_MANAGE}),
}


def has_permission(user, permission: Permission) -> bool:
    """Whether the user's role grants the permission."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def require(permission: Permission):
    """View decorator: 401 when signed out, 403 when the role lacks the permission."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_permission(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def signed_in(view):
    """View decorator: any signed-in account (what it may see is decided per object)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped


def speaks_for_organisation(user) -> bool:
    """Whether a confirmed claim links the account to its organisation: until then it is a stranger to the
    organisation's other filings and to the documents that name it (a credit code is public, not a proof)."""
    claim = getattr(user, "claim", None)
    return getattr(user, "organisation_id", None) is not None and claim is not None and claim.status == "confirmed"


def manages_members(user) -> bool:
    """An admin of an organisation the account speaks for: it invites, re-roles and removes the members (a filer
    files only; an account whose claim is not confirmed yet must not learn who else acts for the organisation)."""
    return (
        has_permission(user, Permission.MEMBER_MANAGE)
        and getattr(user, "org_role", None) == "admin"
        and speaks_for_organisation(user)
    )


# Who sees which contract, written once. For each read permission, a rule gives the conditions on a contract's
# columns (column, comparison, value) under all of which the user sees it, or None when the permission opens
# nothing to this user. can_view() checks them on an object in Python (no query: it runs per row of a page);
# visible_filter() turns the same conditions into the list queries' SQL.
Condition = tuple[str, Callable[[Any, Any], Any], Any]


def _sees_all(user) -> tuple[Condition, ...]:
    return ()


def _sees_own(user) -> tuple[Condition, ...] | None:
    """The organisation's filings, all of them once the account speaks for it, else those it filed itself."""
    if user.organisation_id is None:
        return None
    own = (("organisation_id", operator.eq, user.organisation_id),)
    return own if speaks_for_organisation(user) else own + (("created_by_id", operator.eq, user.id),)


def _sees_station(user) -> tuple[Condition, ...] | None:
    """The filings routed to the reviewer's station, once submitted."""
    if user.station_id is None:
        return None
    return ("station_id", operator.eq, user.station_id), ("status", operator.ne, "draft")


SIGHT_RULES: dict[Permission, Callable[[Any], tuple[Condition, ...] | None]] = {
    Permission.CONTRACT_READ_ALL: _sees_all,
    Permission.CONTRACT_READ_OWN: _sees_own,
    Permission.CONTRACT_READ_STATION: _sees_station,
}


def sight(user) -> list[tuple[Condition, ...]]:
    """The sets of conditions under any one of which the user sees a contract (an empty list: none at all)."""
    found = []
    for permission, rule in SIGHT_RULES.items():
        conditions = rule(user) if has_permission(user, permission) else None
        if conditions is not None:
            found.append(conditions)
    return found


def _holds(contract, conditions: tuple[Condition, ...]) -> bool:
    return all(compare(getattr(contract, column), value) for column, compare, value in conditions)


def _own_filing(user, contract) -> bool:
    """The organisation's filing, and either the account speaks for the organisation or made the filing itself."""
    conditions = _sees_own(user)
    return conditions is not None and _holds(contract, conditions)


def can_view(user, contract) -> bool:
    """Whether the user may know the contract exists."""
    return any(_holds(contract, conditions) for conditions in sight(user))


def visible_filter(user) -> ColumnElement[bool] | None:
    """The SQL form of can_view, a condition on Contract; None when the user sees every contract."""
    alternatives = sight(user)
    if any(not conditions for conditions in alternatives):
        return None
    return or_(
        false(),
        *(
            and_(*(compare(getattr(Contract, column), value) for column, compare, value in conditions))
            for conditions in alternatives
        ),
    )


def can_file(user, contract) -> bool:
    """Whether the user may edit, attach to and submit the contract (its own organisation's filer)."""
    return has_permission(user, Permission.CONTRACT_FILE) and _own_filing(user, contract)


def can_review(user, contract) -> bool:
    """Whether the user decides on this filing: a reviewer of the station it is routed to."""
    return (
        has_permission(user, Permission.CONTRACT_REVIEW)
        and user.station_id is not None
        and contract.station_id == user.station_id
    )


def can_download_certificate(user, contract) -> bool:
    """Parties and staff: whoever sees the contract, and a confirmed enterprise named as its seller or buyer."""
    if can_view(user, contract):
        return True
    if not (has_permission(user, Permission.CONTRACT_READ_OWN) and speaks_for_organisation(user)):
        return False
    organisation = user.organisation
    if organisation is None or not organisation.credit_code or contract.registration_number is None:
        return False
    return any(p.credit_code == organisation.credit_code for p in contract.parties)


def load_visible(user, contract_id: int, options: tuple = ()) -> Contract:
    """The contract if the user may see it, else a 404 that reveals nothing (not even that it exists); `options`
    are the loader options of what the caller shows. Every page and API view loads a contract by id here, and
    checks what the user may do with it (a 403) only after."""
    contract = db.session.get(Contract, contract_id, options=options)
    if contract is None or not can_view(user, contract):
        raise NotFound("contract not found")
    return contract
