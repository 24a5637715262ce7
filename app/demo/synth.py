"""Synthetic registrations for benchmarks and demos, written with bulk inserts.

Each contract is registered (status "registered", version 1) at the Handan station serving its seller's area,
with a registration number unique per station and year (the registration_sequences rows are brought up to
date). Sellers are organisations mostly in Handan's areas, buyers across China (Beijing 110xxx and Tianjin
120xxx among them); every credit code carries a valid check character. Categories, sub-types, technical fields,
natures and IP types follow plausible weights; amounts are log-normal (two decimals); signing and registration
dates spread over 2024-2026.

Each is written through the invariants real registration keeps (app.demo.synth_invariants): the rule-set
code and due date its filing date selects, a classification and rights that rule set accepts, technical amount =
amount − deductions and certified ≤ technical, dates in order, numbers in the registry's format, its status
history, its tax-feed event (published in registration order) and its statistics facts (one INSERT … SELECT at
the end). Not written: certificates (signing is the slow part of registering), attachments and findings.

On PostgreSQL the rows go in through COPY (psycopg's cursor.copy()); elsewhere through executemany batches of
SQLAlchemy Core inserts.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from app.accounts.services import accounts
from app.demo import brokers as demo_brokers
from app.demo import synth_invariants as rules
from app.demo.seed import CREDIT_CODE_CHARS, complete_credit_code
from app.domain import areas, catalogue
from app.domain.clock import today_local
from app.domain.registration_number import format_number
from app.domain.rules import rule_set_for
from app.extensions import db
from app.models import (
    Contract,
    ContractOtherParty,
    ContractParty,
    Deduction,
    Party,
    RegistrationSequence,
    Station,
    StationArea,
    StatusChange,
    TaxEvent,
    User,
)
from app.statistics.services import stats_facts
from app.tax.services import taxfeed

SYNTH_EMAIL = "synth@demo.tcr"
FIRST_DAY = date(2024, 1, 2)
LAST_DAY = date(2026, 12, 31)
CNY = Decimal("0.01")

CATEGORY_WEIGHTS = {"development": 35, "transfer": 8, "licensing": 7, "consultation": 10, "service": 40}
SUBTYPE_WEIGHTS = {
    "development": {"commissioned": 80, "cooperative": 20},
    "transfer": {"patent_right": 40, "patent_application_right": 10, "know_how": 25, "other_transfer": 25},
    "licensing": {"patent_license": 50, "know_how_license": 30, "other_license": 20},
    "consultation": {"consultation": 100},
    "service": {"technical_service": 80, "training": 10, "intermediary": 10},
}
IP_BY_SUBTYPE = {
    "patent_right": {"invention_patent": 55, "utility_model": 40, "design": 5},
    "patent_application_right": {"invention_patent": 70, "utility_model": 30},
    "patent_license": {"invention_patent": 60, "utility_model": 35, "design": 5},
    "know_how": {"know_how": 100},
    "know_how_license": {"know_how": 100},
    "other_transfer": {
        "software_copyright": 60,
        "ic_layout": 5,
        "plant_variety": 10,
        "biomedicine_variety": 5,
        "other": 20,
    },
    "other_license": {"software_copyright": 70, "plant_variety": 10, "other": 20},
    "commissioned": {"none": 70, "invention_patent": 20, "software_copyright": 10},
    "cooperative": {"none": 60, "invention_patent": 30, "utility_model": 10},
}
FIELD_WEIGHTS = {
    "electronic_information": 22,
    "advanced_manufacturing": 25,
    "aerospace": 1,
    "modern_transport": 5,
    "agriculture": 6,
    "new_materials": 12,
    "new_energy": 10,
    "environment": 10,
    "biomedicine": 5,
    "nuclear": 1,
    "urban_social": 3,
}
SELLER_NATURES = {"150": 50, "160": 15, "170": 10, "110": 8, "021": 7, "022": 7, "310": 3}
BUYER_NATURES = {"150": 45, "160": 25, "110": 15, "170": 8, "020": 4, "300": 3}
# Buyers' areas outside Handan: Beijing and Tianjin, Shijiazhuang and other provinces.
BUYER_AREAS = {
    "110108": 10,
    "110105": 5,
    "120116": 6,
    "120104": 3,
    "130102": 8,
    "130202": 4,
    "130602": 4,
    "310115": 5,
    "320505": 4,
    "330106": 3,
    "370102": 4,
    "410105": 3,
    "440305": 5,
    "510107": 2,
}
PAYMENT_WEIGHTS = {"lump_sum": 35, "instalments": 45, "royalty": 5, "lump_sum_plus_royalty": 5, "other": 10}
WORDS = (
    "余热回收",
    "焦化废水处理",
    "智能制造产线",
    "钢铁冶炼",
    "煤矿安全监测",
    "新能源汽车零部件",
    "农业物联网",
    "工业互联网平台",
    "高性能涂层",
    "装备远程运维",
    "特种钢材",
    "光伏组件",
    "污水深度处理",
    "铸造工艺优化",
)
ORG_SUFFIX = {
    "150": "科技有限公司",
    "160": "股份有限公司",
    "170": "技术开发公司",
    "110": "集团有限公司",
    "021": "研究院",
    "022": "大学",
    "310": "合资有限公司",
    "020": "技术中心",
    "300": "（中国）有限公司",
}


@dataclass
class Summary:
    contracts: int
    parties: int


def pick(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    """k codes drawn by weight."""
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def _choice_table(weights: dict[str, int]) -> tuple[list[str], list[float]]:
    total, cumulative, keys = 0, [], list(weights)
    for key in keys:
        total += weights[key]
        cumulative.append(total)
    return keys, cumulative


def synth_user() -> User:
    """The account synthetic contracts are created by (made once)."""
    user = db.session.scalars(select(User).where(User.email == SYNTH_EMAIL)).first()
    if user is None:
        user = accounts.create_user(SYNTH_EMAIL, "Synth-" + "x" * 12, "bureau", "合成数据")
        db.session.flush()
    return user


def station_of_area() -> tuple[dict[str, Station], list[str]]:
    """Each Handan area code served by a station → the station; and the seller areas (with a station)."""
    pairs = db.session.execute(select(StationArea.area_code, Station).join(Station)).all()
    serving = {code: station for code, station in pairs}
    handan = [a.code for a in areas.handan_counties()] + ["130400"]
    seller_areas = [code for code in handan if code in serving]
    if not seller_areas:
        raise RuntimeError("no stations: run `flask demo seed` (or seed_stations) first")
    return serving, seller_areas


def _credit_code(area: str, index: int) -> str:
    """A valid 18-character code unique per index: registration authority 9, type 1, area, a base-31 serial."""
    digits, n = [], index
    for _ in range(8):
        n, r = divmod(n, len(CREDIT_CODE_CHARS))
        digits.append(CREDIT_CODE_CHARS[r])
    return complete_credit_code("91" + area + "M" + "".join(reversed(digits))[:8])


def organisations(
    rng: random.Random,
    count: int,
    area_pool: list[str],
    area_weights: list[int] | None,
    natures: dict[str, int],
    start: int,
) -> list[dict]:
    """Rows of organisations with valid, unique credit codes (numbered from `start`) in the given areas."""
    now = datetime.now(UTC)
    chosen_areas = rng.choices(area_pool, weights=area_weights, k=count)
    chosen_natures = pick(rng, natures, count)
    out = []
    for i in range(count):
        area, nature = chosen_areas[i], chosen_natures[i]
        place = areas.area(area)
        prefix = (place.name if place else "")[:4].rstrip("市区县")
        out.append(
            {
                "kind": "organisation",
                "credit_code": _credit_code(area, start + i),
                "id_number": None,
                "name": f"{prefix}{rng.choice(WORDS)[:4]}{ORG_SUFFIX.get(nature, '有限公司')}{start + i}",
                "nature": nature,
                "area_code": area,
                "country": "156",
                "created_at": now,
                "updated_at": now,
            }
        )
    return out


def insert_parties(rows: list[dict]) -> list[dict]:
    """Insert organisations (executemany) and return them with their ids."""
    db.session.execute(insert(Party), rows)
    codes = [r["credit_code"] for r in rows]
    ids = {}
    for start in range(0, len(codes), 5000):
        ids.update(
            db.session.execute(
                select(Party.credit_code, Party.id).where(Party.credit_code.in_(codes[start : start + 5000]))
            ).all()
        )
    return [{**r, "id": ids[r["credit_code"]]} for r in rows]


def lognormal_amount(rng: random.Random) -> Decimal:
    value = min(max(rng.lognormvariate(math.log(300_000), 1.3), 2_000), 500_000_000)
    return Decimal(value).quantize(CNY)


def registrations_present() -> bool:
    """Whether any registration exists (the demo only adds synthetic ones to an empty registry)."""
    return db.session.scalar(select(Contract.id).where(Contract.registration_number.is_not(None)).limit(1)) is not None


def generate(contracts: int, seed: int = 1, batch: int = 10_000, progress=None) -> Summary:
    """Write `contracts` synthetic registrations; commits every batch. Returns what was written."""
    rng = random.Random(seed)
    user = synth_user()
    serving, seller_areas = station_of_area()
    sellers, buyers = _organisations(rng, contracts, seller_areas)
    db.session.commit()
    last_day = min(LAST_DAY, today_local())
    setting = _Setting(
        user.id,
        serving,
        sellers,
        buyers,
        _sequences_so_far(),
        (last_day - FIRST_DAY).days,
        contracts,
        (db.session.scalar(select(func.max(Contract.id))) or 0) + 1,
    )
    written = _write_batches(rng, setting, batch, progress)
    demo_brokers.link_brokered()  # the seeded demo brokers, on some brokered registrations
    _finish(setting)
    return Summary(contracts=written, parties=len(sellers) + len(buyers))


def _organisations(rng: random.Random, contracts: int, seller_areas: list[str]) -> tuple[list[dict], list[dict]]:
    """The sellers (mostly in Handan's busiest areas) and the buyers (across China), inserted, in that order."""
    party_start = (db.session.scalar(select(func.max(Party.id))) or 0) + 1
    seller_count = max(20, min(20_000, contracts // 50))
    buyer_count = max(20, min(40_000, contracts // 25))
    seller_weights = [5 if code in ("130402", "130403", "130404", "130406", "130400") else 1 for code in seller_areas]
    sellers = insert_parties(
        organisations(rng, seller_count, seller_areas, seller_weights, SELLER_NATURES, party_start)
    )
    buyer_pool_areas = list(BUYER_AREAS) + seller_areas
    buyer_weights = list(BUYER_AREAS.values()) + [3] * len(seller_areas)
    buyers = insert_parties(
        organisations(rng, buyer_count, buyer_pool_areas, buyer_weights, BUYER_NATURES, party_start + seller_count)
    )
    return sellers, buyers


def _sequences_so_far() -> dict[tuple[int, int], int]:
    """The last registration number handed out per (station, year)."""
    return {
        (s, y): v
        for s, y, v in db.session.execute(
            select(RegistrationSequence.station_id, RegistrationSequence.year, RegistrationSequence.last_value)
        )
    }


def _write_batches(rng: random.Random, setting: _Setting, batch: int, progress) -> int:
    """Draw and insert the registrations, `batch` at a time, committing each batch; returns how many."""
    category_table = _choice_table(CATEGORY_WEIGHTS)
    written = 0
    while written < setting.total:
        size = min(batch, setting.total - written)
        rows = _Rows()
        categories = rng.choices(category_table[0], cum_weights=category_table[1], k=size)
        fields, payments = pick(rng, FIELD_WEIGHTS, size), pick(rng, PAYMENT_WEIGHTS, size)
        for i in range(size):
            _registration(rng, setting, written + i, (categories[i], fields[i], payments[i]), rows)
        rows.insert()
        written += size
        db.session.commit()
        if progress:
            progress(written)
    return written


def _finish(setting: _Setting) -> None:
    """The numbers handed out, the statistics facts, PostgreSQL's id sequences and planner statistics, and the
    tax feed's positions (in registration order, the events' insert order)."""
    _save_sequences(setting.sequences)
    stats_facts.refresh(Contract.id >= setting.first_id)
    if db.engine.dialect.name == "postgresql":
        for table in ("contracts", "contract_parties"):
            db.session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
        for table in (
            "contracts",
            "contract_parties",
            "contract_other_parties",
            "parties",
            "registration_facts",
            "tax_events",
        ):
            db.session.execute(text(f"ANALYZE {table}"))
    db.session.commit()
    taxfeed.publish()


@dataclass
class _Setting:
    """What every synthetic registration draws from, and the registration numbers handed out so far."""

    user_id: int
    serving: dict[str, Station]
    sellers: list[dict]
    buyers: list[dict]
    sequences: dict[tuple[int, int], int]
    span: int
    total: int
    first_id: int


@dataclass
class _Rows:
    """One batch of rows for each table a registration writes."""

    contracts: list[dict] = field(default_factory=list)
    parties: list[dict] = field(default_factory=list)
    other_parties: list[dict] = field(default_factory=list)
    deductions: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)

    def insert(self) -> None:
        """Write the batch, the contracts first."""
        for model, rows in (
            (Contract, self.contracts),
            (ContractParty, self.parties),
            (ContractOtherParty, self.other_parties),
            (Deduction, self.deductions),
            (StatusChange, self.history),
            (TaxEvent, self.events),
        ):
            insert_rows(model.__table__, rows)


def insert_rows(table, rows: list[dict]) -> None:
    """COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    if db.engine.dialect.name == "postgresql":
        _copy(table, rows)
    else:
        db.session.execute(insert(table), rows)


def _when(setting: _Setting, index: int) -> tuple[date, datetime]:
    """The registration day and moment: both rise with the index, so numbers and feed events follow
    registration order."""
    position = index * setting.span / max(setting.total, 1)
    registered_on = FIRST_DAY + timedelta(days=int(position))
    decided = datetime.combine(registered_on, time(1, 0), UTC) + timedelta(
        minutes=int((position - int(position)) * 540)
    )
    return registered_on, decided


def _registration(rng: random.Random, setting: _Setting, index: int, drawn: tuple[str, str, str], rows: _Rows) -> None:
    """One registration: filed, accepted and registered under the rule set of its filing date."""
    category, technical_field, payment = drawn
    registered_on, decided = _when(setting, index)
    signed_on = max(FIRST_DAY - timedelta(days=1), registered_on - timedelta(days=rng.randint(3, 60)))
    filed_on = max(signed_on, registered_on - timedelta(days=rng.randint(1, 20)))  # always before registered_on
    rule_set = rule_set_for(filed_on)
    seller = setting.sellers[int(len(setting.sellers) * rng.random() ** 2)]  # a few sellers file most
    buyer = setting.buyers[rng.randrange(len(setting.buyers))]
    station = setting.serving[seller["area_code"]]
    key = (station.id, registered_on.year)
    setting.sequences[key] = setting.sequences.get(key, 0) + 1
    amount = lognormal_amount(rng)
    technical, deductions = rules.split_amount(rng, amount, rng.uniform(0.7, 1.0))
    contract_id = setting.first_id + index
    drawn_terms = rules.terms(rng, rule_set, category, signed_on, SUBTYPE_WEIGHTS, IP_BY_SUBTYPE)
    word = rng.choice(WORDS)
    row = {
        "id": contract_id,
        "organisation_id": seller["id"],
        "created_by_id": setting.user_id,
        "station_id": station.id,
        "status": "registered",
        "rule_set": rule_set.code,
        **drawn_terms,
        "title": f"{word}{catalogue.CATEGORIES[drawn_terms['category']].zh}合同",
        "amount": amount,
        "technical_amount": technical,
        "amount_fixed": True,
        "technical_field": technical_field,
        "plan_category": "none" if rng.random() < 0.85 else "city",
        "payment_method": payment,
        "summary": f"{word}相关技术{catalogue.CATEGORIES[drawn_terms['category']].zh}。",
        "acknowledged_warnings": [],
        "filed_on": filed_on,
        "submitted_at": datetime.combine(filed_on, time(1, 0), UTC),
        "accepted_at": datetime.combine(filed_on, time(3, 0), UTC),
        **rules.clock_columns(rule_set, filed_on, technical),
        "amendment_due_on": None,
        "decided_at": decided,
        "registration_number": format_number(station.code, registered_on.year, setting.sequences[key]),
        "certified_technical_amount": technical if rng.random() < 0.9 else (technical * Decimal("0.95")).quantize(CNY),
        "registered_on": registered_on,
        "registered_by_id": None,
        "approved_by_id": None,
        "version": 1,
        "created_at": datetime.combine(signed_on, time(8, 0), UTC),
        "updated_at": decided,
        "_station": station,
    }
    _add(rows, row, seller, buyer, deductions, other_party_rows(contract_id, seller, setting.sellers))


def party_rows(contract_id: int, seller: dict, buyer: dict) -> list[dict]:
    """The contract's seller and buyer as written on it (organisations of Handan or elsewhere in China)."""
    return [
        {
            "contract_id": contract_id,
            "role": role,
            "party_id": party["id"],
            "name": party["name"],
            "credit_code": party["credit_code"],
            "id_number": None,
            "nature": party["nature"],
            "area_code": party["area_code"],
            "country": "156",
        }
        for role, party in (("seller", seller), ("buyer", buyer))
    ]


# One contract in CO_SELLER_EVERY has a co-seller, one in BROKERED_EVERY an intermediary (a tripartite deal): chosen
# by the contract's id, not drawn, so every other draw of a seed stays as it was.
CO_SELLER_EVERY, BROKERED_EVERY = 12, 15


def other_party_rows(contract_id: int, seller: dict, candidates: list[dict]) -> list[dict]:
    """The contract's other parties (Handan organisations other than its seller), if it has any."""
    roles = [
        role
        for role, every in (("seller", CO_SELLER_EVERY), ("intermediary", BROKERED_EVERY))
        if not contract_id % every
    ]
    others = [c for c in candidates if c["id"] != seller["id"]]
    if not others:
        return []
    return [
        {
            "contract_id": contract_id,
            "position": position,
            "role": role,
            "name": party["name"],
            "credit_code": party["credit_code"],
            "id_number": None,
            "nature": party["nature"],
            "area_code": party["area_code"],
            "country": "156",
        }
        for position, role in enumerate(roles)
        for party in (others[(contract_id * 7 + position) % len(others)],)
    ]


def _add(rows: _Rows, row: dict, seller: dict, buyer: dict, deductions: list[dict], others: list[dict]) -> None:
    """A registration's rows: the contract, its parties as written, deductions, history and its feed event."""
    contract_id = row["id"]
    rows.contracts.append({k: v for k, v in row.items() if not k.startswith("_")})
    rows.parties += party_rows(contract_id, seller, buyer)
    rows.other_parties += others
    rows.deductions += [{**deduction, "contract_id": contract_id} for deduction in deductions]
    rows.history += rules.registration_history(row)
    rows.events.append(rules.tax_event(row, seller, buyer, others))


def _copy(table, rows: list[dict]) -> None:
    """COPY rows into a table through the session's psycopg connection (dates, amounts and JSON as text)."""
    columns = list(rows[0])
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_copy_value(row[c]) for c in columns])


def _copy_value(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def _save_sequences(sequences: dict[tuple[int, int], int]) -> None:
    """Bring registration_sequences up to the numbers handed out (insert or raise last_value)."""
    existing = {
        (s, y): i
        for i, s, y in db.session.execute(
            select(RegistrationSequence.id, RegistrationSequence.station_id, RegistrationSequence.year)
        )
    }
    for (station_id, year), value in sequences.items():
        if (station_id, year) in existing:
            db.session.execute(
                RegistrationSequence.__table__.update()
                .where(RegistrationSequence.id == existing[(station_id, year)])
                .values(last_value=value)
            )
        else:
            db.session.add(RegistrationSequence(station_id=station_id, year=year, last_value=value))
    db.session.flush()
