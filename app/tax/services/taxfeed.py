"""The tax feed: events written with each registration decision (and each verified technical income), published in
commit order, read by scope."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import or_, select, text

from app.auth.permissions import Permission, has_permission
from app.domain.clock import local, now_utc
from app.domain.eligibility import eligibility_facts
from app.domain.identifiers import mask_id_number
from app.extensions import db
from app.models import Contract, TaxEvent, TaxPull

PII_SCOPE = "tax:pii"  # a token with this scope sees personal ID numbers in clear
PARTY_KEYS = ("name", "credit_code", "id_number", "area_code", "nature", "country")
PUBLISH_LOCK = 7_301_001  # pg_advisory_xact_lock key of the relay

# One statement: every unpublished event this snapshot can see (= committed) gets the next positions, in id
# order. An event still uncommitted is invisible here and gets a later position once it commits, so a reader
# paging by position never passes over an event that appears behind it.
PUBLISH_SQL = text("""
    UPDATE tax_events SET position = numbered.position
    FROM (SELECT id, (SELECT coalesce(max(position), 0) FROM tax_events)
                     + row_number() OVER (ORDER BY id) AS position
          FROM tax_events WHERE position IS NULL) AS numbered
    WHERE tax_events.id = numbered.id
""")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _day(value) -> str | None:
    return None if value is None else value.isoformat()


def _party(party) -> dict | None:
    return None if party is None else {key: getattr(party, key) for key in PARTY_KEYS}


def payload_of(contract: Contract, event: str, occurred_at) -> dict:
    """Everything a feed item carries, computed now: later edits to the contract never rewrite history."""
    seller, buyer = contract.seller, contract.buyer
    certificate = contract.current_certificate
    station = contract.station
    return {
        "event": event,
        "occurred_at": local(occurred_at).isoformat(),
        "registration_number": contract.registration_number,
        "version": contract.version,
        "seller": _party(seller),
        "buyer": _party(buyer),
        "other_parties": [{"role": p.role, **_party(p)} for p in contract.other_parties],
        "category": contract.category,
        "subtype": contract.subtype,
        "equity": contract.contributed_as_equity,
        "amount": _money(contract.amount),
        "amount_fixed": contract.amount_fixed is not False,  # false: to be supplemented, no relief on it yet
        "certified_technical_amount": _money(contract.certified_technical_amount),
        "signed_on": _day(contract.signed_on),
        "valid_from": _day(contract.valid_from),
        "valid_until": _day(contract.valid_until),
        "registered_on": _day(contract.registered_on),
        "station": {"code": station.code, "name": station.name} if station else None,
        "eligibility": eligibility_facts(
            contract.category,
            contract.subtype,
            contract.ip_type,
            seller.nature if seller else None,
            seller.country if seller else None,
            contract.license_years,
            buyer_nature=buyer.nature if buyer else None,
            buyer_country=buyer.country if buyer else None,
            registered_on=contract.registered_on,
        ),
        "certificate_sha256": certificate.sha256 if certificate else None,
    }


def record(contract: Contract, event: str, **facts: dict) -> TaxEvent:
    """Append an event in the caller's transaction (it commits with the decision or not at all); `facts` adds the
    tax office's own records or the station's verified income to the payload (`tax_claim={...}`, `objection={...}`,
    `income={...}`: the period and figures of a verified technical income, event income_verified)."""
    occurred_at = now_utc()
    seller, buyer = contract.seller, contract.buyer
    row = TaxEvent(
        event=event,
        contract_id=contract.id,
        registration_number=contract.registration_number,
        version=contract.version,
        occurred_at=occurred_at,
        seller_area=seller.area_code if seller else None,
        buyer_area=buyer.area_code if buyer else None,
        payload={**payload_of(contract, event, occurred_at), **facts},
    )
    db.session.add(row)
    db.session.flush()
    return row


def publish() -> int:
    """Stamp commit-order positions on the committed, unpublished events, in a short transaction of its own."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # one relay at a time; SQLite has a single writer anyway
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PUBLISH_LOCK})
        return connection.execute(PUBLISH_SQL).rowcount


def _visible(item: dict, with_pii: bool) -> dict:
    item.setdefault("other_parties", [])  # an event recorded before other parties were kept has none
    if with_pii:
        return item
    for role in ("seller", "buyer"):
        party = item.get(role)
        if party and party.get("id_number"):
            item[role] = {**party, "id_number": mask_id_number(party["id_number"])}
    item["other_parties"] = [
        {**party, "id_number": mask_id_number(party["id_number"])} if party.get("id_number") else party
        for party in item["other_parties"]
    ]
    return item


def read(user, after_position: int, limit: int, with_pii: bool = False) -> list[dict]:
    """The user's events after a position, in position order; each item is its payload plus "seq"."""
    publish()
    codes = user.area_codes if has_permission(user, Permission.TAX_READ) else []
    if not codes:
        return []
    events = db.session.scalars(
        select(TaxEvent)
        .where(TaxEvent.position > after_position, or_(TaxEvent.seller_area.in_(codes), TaxEvent.buyer_area.in_(codes)))
        .order_by(TaxEvent.position)
        .limit(limit)
    )
    return [_visible({**event.payload, "seq": event.position}, with_pii) for event in events]


def record_pull(user, after_position: int, next_position: int, items: int) -> TaxPull:
    """Note one read of the feed in the officer's pull history (committed by the caller)."""
    pull = TaxPull(
        user_id=user.id, pulled_at=now_utc(), after_position=after_position, next_position=next_position, items=items
    )
    db.session.add(pull)
    db.session.flush()
    return pull


def recent_pulls(user, limit: int = 20) -> list[TaxPull]:
    """The officer's latest reads of the feed, newest first."""
    return list(
        db.session.scalars(
            select(TaxPull)
            .where(TaxPull.user_id == user.id)
            .order_by(TaxPull.pulled_at.desc(), TaxPull.id.desc())
            .limit(limit)
        )
    )
