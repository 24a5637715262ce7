"""The workflow table: every status is labelled and reachable, the ends are ends, and a move no action makes is
refused where the status is written."""

from __future__ import annotations

import pytest

from app.domain import catalogue, workflow


def test_every_status_has_labels_and_every_action_leads_to_a_status():
    assert set(workflow.STATUSES) == set(catalogue.STATUSES)
    for action in workflow.ACTIONS.values():
        assert action.to is None or action.to in workflow.STATUSES
        assert all(s is None or s in workflow.STATUSES for s in action.from_statuses)


def test_every_status_is_reachable_from_a_new_filing():
    reached, frontier = set(), {None}
    while frontier:
        status = frontier.pop()
        for source, target in workflow.TRANSITIONS:
            if source == status and target not in reached:
                reached.add(target)
                frontier.add(target)
    assert reached == set(workflow.STATUSES)


@pytest.mark.parametrize("status", ["refused", "withdrawn", "cancelled", "revoked"])
def test_an_ended_filing_moves_no_further(status):
    assert not [move for move in workflow.TRANSITIONS if move[0] == status]
    assert not any(workflow.allows(name, status) for name in workflow.ACTIONS)


@pytest.mark.parametrize(
    "action, allowed, refused",
    [
        ("accept", "submitted", "accepted"),
        ("register", "accepted", "submitted"),
        ("approve", "registered", "refused"),
        ("withdraw", "amendment_requested", "registered"),
        ("submit", "amendment_requested", "submitted"),
        ("reassign", "accepted", "registered"),
        ("cancel", "registered", "accepted"),
        ("send_to_experts", "accepted", "submitted"),
        ("record_expert_opinion", "expert_review", "accepted"),
        ("reassign", "expert_review", "registered"),
        ("refuse", "accepted", "expert_review"),
        ("withdraw", "expert_review", "refused"),
    ],
)
def test_an_action_is_possible_only_in_its_statuses(action, allowed, refused):
    assert workflow.allows(action, allowed)
    assert not workflow.allows(action, refused)


def test_the_review_page_offers_what_the_services_allow():
    assert workflow.review_actions("accepted") == {
        "request_amendment",
        "refuse",
        "register",
        "approve",
        "send_to_experts",
    }
    assert workflow.review_actions("expert_review") == set()  # the panel holds the file: the station waits
    assert workflow.review_actions("registered") == {
        "approve",
        "change",
        "cancel",
        "revoke",
        "decide_request",
        "answer_objection",
        "verify_income",
    }
    assert workflow.review_actions("draft") == set()
    assert not workflow.allows("no_such_action", "submitted")


@pytest.mark.parametrize(
    "move",
    [
        ("draft", "registered"),
        ("submitted", "registered"),
        ("refused", "submitted"),
        (None, "submitted"),
        ("registered", "withdrawn"),
        ("expert_review", "registered"),
        ("submitted", "expert_review"),
    ],
)
def test_a_move_no_action_makes_is_refused(move):
    with pytest.raises(workflow.ImpossibleTransition):
        workflow.check_move(*move)


def test_the_history_writer_refuses_an_impossible_move(app, file_contract):
    from app.extensions import db
    from app.filing.services.history import transition
    from app.models import Contract

    contract_id = file_contract()
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        with pytest.raises(workflow.ImpossibleTransition):
            transition(contract, None, "registered")
        assert contract.status == "submitted"
        assert [c.to_status for c in contract.history] == ["draft", "submitted"]
