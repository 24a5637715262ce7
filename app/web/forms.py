"""The filing form: which fields a category needs, form values ↔ the ContractIn payload, notes beside fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from marshmallow import ValidationError

from app.domain import catalogue as cat
from app.errors import FieldError
from app.filing.schemas import MAX_DEDUCTIONS, MAX_OTHER_PARTIES, ContractIn
from app.i18n import current_language, lt
from app.schemas.errors import flatten

MAX_DEDUCTION_ROWS = 5
PARTY_INPUTS = ("name", "credit_code", "id_number", "area_code", "nature", "country")
OTHER_PARTY_INPUTS = ("role", *PARTY_INPUTS)
DEDUCTION_INPUTS = ("kind", "description", "amount")
LICENSE_INPUTS = ("exclusivity", "territory", "years")
SCALAR_INPUTS = (
    "title",
    "signed_on",
    "valid_from",
    "valid_until",
    "amount",
    "technical_amount",
    "technical_field",
    "ip_type",
    "ip_numbers",
    "plan_category",
    "payment_method",
    "summary",
)
# The filing's yes/no statements: input name -> the contract's attribute (ContractIn takes the input names).
CHECKBOX_INPUTS = {
    "equity": "contributed_as_equity",
    "signed_by_internal_unit": "signed_by_internal_unit",
    "government_funded": "government_funded",
}
CHECKED = "1"
BROKERS_INPUT = "brokers"  # a multiple select of registered brokers: the posted ids, kept space-separated in values
OPEN_AMOUNT_INPUT = "amount_open"  # a checkbox: the amount is not fixed at signing (ContractIn's amount_fixed false)
RIGHTS_CATEGORIES = ("transfer", "licensing")
UPPERCASE_INPUTS = ("credit_code", "id_number")
_LIST_SEPARATORS = re.compile(r"[\s,;，；、]+")
_WHOLE_YUAN = re.compile(r"[0-9]+")
_ONE_DECIMAL = re.compile(r"[0-9]+\.[0-9]")
# An amount inside a finding's message ("1080000.00"): grouped for reading, never a patent or registration number.
_AMOUNT_IN_TEXT = re.compile(r"(?<![\w.])([0-9]{4,})(\.[0-9]{2})(?![0-9])")

# The seller's name in each kind of contract (DOMAIN.md §3), and the buyer's.
SELLER_ROLES = {
    "development": lt("Developer"),
    "transfer": lt("Transferor"),
    "licensing": lt("Licensor"),
    "consultation": lt("Consultant"),
    "service": lt("Service provider"),
    "training": lt("Trainer"),
    "intermediary": lt("Intermediary"),
}
BUYER_ROLES = {
    "development": lt("Commissioning party"),
    "cooperative": lt("Cooperating party"),
    "transfer": lt("Transferee"),
    "licensing": lt("Licensee"),
    "consultation": lt("Commissioning party"),
    "service": lt("Commissioning party"),
}

# Code tables the templates may name: label("technical_field", code), choices("nature").
CODE_TABLES = {
    "category": cat.CATEGORIES,
    "status": cat.STATUSES,
    "eligibility": cat.ELIGIBILITY,
    "technical_field": cat.TECHNICAL_FIELDS,
    "nature": cat.PARTY_NATURES,
    "party_role": cat.PARTY_ROLES,
    "ip_type": cat.IP_TYPES,
    "plan_category": cat.PLAN_CATEGORIES,
    "payment_method": cat.PAYMENT_METHODS,
    "deduction_kind": cat.DEDUCTION_KINDS,
    "license_exclusivity": cat.LICENSE_EXCLUSIVITY,
    "license_territory": cat.LICENSE_TERRITORY,
    "attachment_kind": cat.ATTACHMENT_KINDS,
    "refusal_ground": cat.REFUSAL_GROUNDS,
    "expert_outcome": cat.EXPERT_OUTCOMES,
    "certificate_status": cat.CERTIFICATE_STATUSES,
    "verification_result": cat.VERIFICATION_RESULTS,
}


def label(table: str, code: str | None) -> str:
    """The display name of a code in the request's language; the code itself when unknown."""
    if code is None:
        return ""
    found = CODE_TABLES[table].get(code)
    return found.for_locale(current_language()) if found else code


def subtype_name(category: str | None, subtype: str | None) -> str:
    """The display name of a sub-type within its category."""
    found = cat.subtype_label(category, subtype)
    return found.for_locale(current_language()) if found else (subtype or "")


def choices(table: str) -> list[tuple[str, str]]:
    """(code, name) pairs of a code table, in catalogue order."""
    lang = current_language()
    return [(code, name.for_locale(lang)) for code, name in CODE_TABLES[table].items()]


def subtypes_of(category: str) -> list[tuple[str, str]]:
    """(code, name) pairs of a category's sub-types."""
    lang = current_language()
    return [(code, name.for_locale(lang)) for code, name in cat.SUBTYPES.get(category, {}).items()]


def is_valid_choice(category: str | None, subtype: str | None) -> bool:
    """Whether the pair names a category and one of its sub-types."""
    return cat.subtype_label(category, subtype) is not None


@dataclass(frozen=True)
class FormLayout:
    """What the form of one category and sub-type shows and asks for."""

    category: str
    subtype: str
    deduction_rows: int = MAX_DEDUCTION_ROWS
    party_rows: int = 0  # blocks of other parties shown

    @property
    def can_add_party(self) -> bool:
        return self.party_rows < MAX_OTHER_PARTIES

    @property
    def shows_license(self) -> bool:
        return self.category == "licensing"

    @property
    def shows_equity(self) -> bool:
        """Technology as equity is a flag of transfers only (DOMAIN.md §12)."""
        return self.category == cat.EQUITY_CATEGORY

    @property
    def ip_required(self) -> bool:
        return self.category in RIGHTS_CATEGORIES

    @property
    def ip_numbers_required(self) -> bool:
        return self.subtype in cat.PATENT_SUBTYPES

    @property
    def seller_role(self) -> str:
        return str(SELLER_ROLES.get(self.subtype) or SELLER_ROLES[self.category])

    @property
    def buyer_role(self) -> str:
        return str(BUYER_ROLES.get(self.subtype) or BUYER_ROLES[self.category])

    def input_names(self) -> set[str]:
        """Every input and group anchor on the form (where a note may be shown)."""
        names = set(SCALAR_INPUTS) | set(CHECKBOX_INPUTS) | {"seller", "buyer", "deductions", OPEN_AMOUNT_INPUT}
        names |= {BROKERS_INPUT}
        names |= {f"{role}.{name}" for role in ("seller", "buyer") for name in PARTY_INPUTS}
        names |= {f"deductions.{i}.{name}" for i in range(self.deduction_rows) for name in DEDUCTION_INPUTS}
        names |= {"other_parties"} | {f"other_parties.{i}" for i in range(self.party_rows)}
        names |= {f"other_parties.{i}.{name}" for i in range(self.party_rows) for name in OTHER_PARTY_INPUTS}
        if self.shows_license:
            names |= {"license"} | {f"license.{name}" for name in LICENSE_INPUTS}
        return names


# Where a finding may be shown on a contract's page (deeper paths fall back to their group).
DETAIL_ANCHORS = (
    set(SCALAR_INPUTS)
    | set(CHECKBOX_INPUTS)
    | {"seller", "buyer", "other_parties", "deductions", "license", "attachments", BROKERS_INPUT}
    | {f"{role}.{name}" for role in ("seller", "buyer") for name in PARTY_INPUTS}
    | {f"license.{name}" for name in LICENSE_INPUTS}
    | {f"other_parties.{i}" for i in range(MAX_OTHER_PARTIES)}
    | {f"other_parties.{i}.{name}" for i in range(MAX_OTHER_PARTIES) for name in PARTY_INPUTS}
)


def layout_for(category: str, subtype: str, deduction_count: int = 0, party_count: int = 0) -> FormLayout:
    """The layout of a category and sub-type; more deduction rows when a filing already has more, and one block per
    other party."""
    party_rows = min(max(party_count, 0), MAX_OTHER_PARTIES)
    return FormLayout(category, subtype, max(MAX_DEDUCTION_ROWS, deduction_count), party_rows)


def posted_party_rows(form) -> int:
    """How many blocks of other parties the posted form showed (its hidden counter, bounded)."""
    value = (form.get("other_party_rows") or "").strip()
    return min(int(value), MAX_OTHER_PARTIES) if value.isascii() and value.isdigit() else 0


def _party_block(values: dict[str, str], index: int) -> dict[str, str]:
    return {name: values.get(f"other_parties.{index}.{name}", "") for name in OTHER_PARTY_INPUTS}


def _with_blocks(values: dict[str, str], blocks: list[dict[str, str]]) -> dict[str, str]:
    kept = {name: value for name, value in values.items() if not name.startswith("other_parties.")}
    for index, block in enumerate(blocks):
        kept |= {f"other_parties.{index}.{name}": value for name, value in block.items()}
    return kept


def _is_empty_block(block: dict[str, str]) -> bool:
    """A block with no name nor code (its role and country are preset)."""
    return not any(block[name].strip() for name in PARTY_INPUTS if name != "country")


def add_party(values: dict[str, str], layout: FormLayout) -> tuple[dict[str, str], FormLayout]:
    """The form with one more, empty block of another party (a co-seller by default)."""
    if not layout.can_add_party:
        return values, layout
    index = layout.party_rows
    values = values | {f"other_parties.{index}.role": "seller", f"other_parties.{index}.country": cat.COUNTRY_CHINA}
    return values, replace(layout, party_rows=index + 1)


def remove_party(values: dict[str, str], layout: FormLayout, index: int) -> tuple[dict[str, str], FormLayout]:
    """The form without the block at index; the blocks after it move up."""
    blocks = [_party_block(values, i) for i in range(layout.party_rows) if i != index]
    return _with_blocks(values, blocks), replace(layout, party_rows=len(blocks))


def without_empty_parties(values: dict[str, str], layout: FormLayout) -> tuple[dict[str, str], FormLayout]:
    """The form as saved: blocks left empty are dropped, so that block i is the payload's other_parties[i]."""
    blocks = [_party_block(values, i) for i in range(layout.party_rows)]
    blocks = [block for block in blocks if not _is_empty_block(block)]
    return _with_blocks(values, blocks), replace(layout, party_rows=len(blocks))


# ---- values: the flat {input name: text} the form shows -------------------------------------------------


def _text(value) -> str:
    return "" if value is None else str(value)


def values_from_contract(contract) -> dict[str, str]:
    """The form's values for a saved contract."""
    values = {name: _text(getattr(contract, name)) for name in SCALAR_INPUTS if name != "ip_numbers"}
    values["ip_numbers"] = "\n".join(contract.ip_numbers or [])
    values.update({name: CHECKED if getattr(contract, attr) else "" for name, attr in CHECKBOX_INPUTS.items()})
    values[OPEN_AMOUNT_INPUT] = "" if contract.amount_fixed is not False else "1"
    for role in ("seller", "buyer"):
        party = contract.party(role)
        for name in PARTY_INPUTS:
            values[f"{role}.{name}"] = _text(getattr(party, name, None))
    for index, party in enumerate(contract.other_parties):
        for name in OTHER_PARTY_INPUTS:
            values[f"other_parties.{index}.{name}"] = _text(getattr(party, name))
    for index, deduction in enumerate(contract.deductions):
        for name in DEDUCTION_INPUTS:
            values[f"deductions.{index}.{name}"] = _text(getattr(deduction, name))
    values[BROKERS_INPUT] = " ".join(str(broker.id) for broker in contract.brokers)
    for name in LICENSE_INPUTS:
        values[f"license.{name}"] = _text(getattr(contract, f"license_{name}"))
    return values


def values_from_organisation(organisation) -> dict[str, str]:
    """A new draft's seller: the applicant's own organisation."""
    if organisation is None:
        return {"seller.country": cat.COUNTRY_CHINA, "buyer.country": cat.COUNTRY_CHINA}
    values = {f"seller.{name}": _text(getattr(organisation, name, None)) for name in PARTY_INPUTS}
    values["buyer.country"] = cat.COUNTRY_CHINA
    return values


def values_from_form(form, layout: FormLayout) -> dict[str, str]:
    """The posted values of the inputs this layout shows, trimmed (the brokers chosen as their ids)."""
    values = {name: form.get(name, "").strip() for name in layout.input_names()}
    values[BROKERS_INPUT] = " ".join(value.strip() for value in form.getlist(BROKERS_INPUT) if value.strip())
    return values


# ---- payload: exactly ContractIn's keys ----------------------------------------------------------------


def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _money(value: str | None) -> str | None:
    """Thousands separators and whole yuan are accepted in the form; the schema parses the string."""
    value = (value or "").strip().replace(",", "").replace("，", "").replace(" ", "")
    if _WHOLE_YUAN.fullmatch(value):
        return value + ".00"
    if _ONE_DECIMAL.fullmatch(value):
        return value + "0"
    return value or None


def money_input(value: str | None) -> str | None:
    """An amount typed in any form as the schemas take it (separators dropped, whole yuan given two decimals)."""
    return _money(value)


def _whole_number(value: str | None):
    value = (value or "").strip()
    if not value:
        return None
    return int(value) if value.isascii() and value.isdigit() else value  # the schema reports a non-number


def _party(values: dict[str, str], role: str, inputs: tuple[str, ...] = PARTY_INPUTS) -> dict:
    party = {name: _optional(values.get(f"{role}.{name}")) for name in inputs}
    for name in UPPERCASE_INPUTS:
        party[name] = party[name].upper() if party[name] else None
    return party


def _deductions(values: dict[str, str], rows: int) -> list[dict]:
    out = []
    for index in range(rows):
        row = {name: values.get(f"deductions.{index}.{name}", "") for name in DEDUCTION_INPUTS}
        if any(v.strip() for v in row.values()):
            out.append(
                {
                    "kind": _optional(row["kind"]),
                    "description": _optional(row["description"]),
                    "amount": _money(row["amount"]),
                }
            )
    return out


def request_deductions(form) -> list[dict]:
    """The deduction rows of a change request's form (the full list asked for), empty rows left out."""
    return _deductions({k: v for k, v in form.items() if k.startswith("deductions.")}, MAX_DEDUCTIONS)


def request_other_parties(form) -> list[dict]:
    """The other parties of a change request's form (the full list asked for), blocks without a name, code or
    area left out."""
    out = []
    for index in range(MAX_OTHER_PARTIES):
        party = _party(form, f"other_parties.{index}", OTHER_PARTY_INPUTS)
        if any(party[name] for name in PARTY_INPUTS if name != "country"):
            out.append(party)
    return out


def payload_from_values(values: dict[str, str], layout: FormLayout) -> dict:
    """The ContractIn payload of the form: empty inputs are None, money stays a string."""
    payload = {name: _optional(values.get(name)) for name in SCALAR_INPUTS}
    payload.update(
        category=layout.category,
        subtype=layout.subtype,
        amount=_money(values.get("amount")),
        technical_amount=_money(values.get("technical_amount")),
        amount_fixed=values.get(OPEN_AMOUNT_INPUT) != "1",
        ip_numbers=[n for n in _LIST_SEPARATORS.split(values.get("ip_numbers", "")) if n],
        seller=_party(values, "seller"),
        buyer=_party(values, "buyer"),
        other_parties=[
            _party(values, f"other_parties.{index}", OTHER_PARTY_INPUTS) for index in range(layout.party_rows)
        ],
        deductions=_deductions(values, layout.deduction_rows),
        brokers=chosen_brokers(values),
        license=None,
        **{name: values.get(name) == CHECKED for name in CHECKBOX_INPUTS},
    )
    payload["equity"] = payload["equity"] and layout.shows_equity
    if layout.shows_license:
        payload["license"] = {
            "exclusivity": _optional(values.get("license.exclusivity")),
            "territory": _optional(values.get("license.territory")),
            "years": _whole_number(values.get("license.years")),
        }
    return payload


def chosen_brokers(values: dict[str, str]) -> list:
    """The broker ids of the form (a value that is not a number goes to the schema, which refuses it)."""
    return [int(v) if v.isascii() and v.isdigit() else v for v in values.get(BROKERS_INPUT, "").split()]


def load_filing(payload: dict) -> tuple[dict | None, list[FieldError]]:
    """The payload validated by ContractIn, or the schema's errors as coded field errors."""
    try:
        return ContractIn().load(payload), []
    except ValidationError as error:
        return None, flatten(error.messages)


# ---- notes: errors and findings placed beside the inputs they concern ---------------------------------


@dataclass(frozen=True)
class Note:
    """A message shown beside a field and in the summary: error, warning or notice."""

    severity: str
    message: str
    field: str | None
    code: str = ""
    anchor: str | None = None


def anchor_for(path: str | None, names: set[str]) -> str | None:
    """The input (or the nearest enclosing group) a dotted path belongs to on this page."""
    if not path:
        return None
    if path.startswith("ip_numbers") and "ip_numbers" in names:
        return "ip_numbers"
    while path:
        if path in names:
            return path
        path = path.rpartition(".")[0]
    return None


def notes_from_errors(errors: list[FieldError], names: set[str]) -> list[Note]:
    """Field errors (schema or service) as error notes."""
    return [Note("error", e.message, e.field, e.code, anchor_for(e.field, names)) for e in errors]


def grouped_amounts(message: str) -> str:
    """A message with its amounts written with thousands separators ("1,080,000.00")."""
    return _AMOUNT_IN_TEXT.sub(lambda m: f"{int(m.group(1)):,}{m.group(2)}", message)


def notes_from_findings(findings, names: set[str]) -> list[Note]:
    """A contract's stored findings as notes in the request's language, amounts grouped."""
    lang = current_language()
    return [
        Note(f.severity, grouped_amounts(f.message(lang)), f.field, f.code, anchor_for(f.field, names))
        for f in findings
    ]


def by_anchor(notes: list[Note]) -> dict[str, list[Note]]:
    """Notes grouped by the input they are shown beside."""
    grouped: dict[str, list[Note]] = {}
    for note in notes:
        if note.anchor:
            grouped.setdefault(note.anchor, []).append(note)
    return grouped


def warnings_by_code(notes: list[Note]) -> dict[str, list[Note]]:
    """The warnings to confirm on submission, one confirmation per code (as contracts.submit takes them)."""
    grouped: dict[str, list[Note]] = {}
    for note in notes:
        if note.severity == "warning":
            grouped.setdefault(note.code, []).append(note)
    return grouped
