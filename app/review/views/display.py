"""What the station's pages (and the decision details on the applicant's page) show beyond the stored facts: the
deadline as days left, names for codes and accounts, what the accept button will start, what changed since the
last submission, and who proposed and who approved an act."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.domain import catalogue as cat
from app.domain import four_eyes, identifiers, workflow
from app.domain.calendar import decision_deadline
from app.domain.clock import today_local
from app.domain.resubmission import diff_filings
from app.domain.rules import find_rule_set, refusal_grounds_of
from app.extensions import db
from app.filing.services import deadlines
from app.i18n import current_language, lt, t
from app.models import Contract, Station, User
from app.review.views.parsing import CENT
from app.web import forms

DUE_SOON_DAYS = 3
UNDECIDED = workflow.UNDECIDED
CHANGE_FIELDS = {
    "title": lt("Contract title"),
    "category": lt("Category"),
    "subtype": lt("Sub-type"),
    "certified_technical_amount": lt("Certified technical amount"),
    "amount": lt("Contract amount"),
    "valid_until": lt("Valid until"),
    "technical_amount": lt("Technical transaction amount"),
    "amount_fixed": lt("Amount fixed"),
    "deductions": lt("Deductions"),
    "other_parties": lt("Other parties"),
    "brokers": lt("Technology brokers"),
}
REQUEST_KINDS = {
    "change": lt("change of the registration"),
    "supplement": lt("supplement of the amount"),
    "cancel": lt("cancellation"),
}


def request_kind(kind: str | None) -> str:
    """What an applicant's request asks, in the reader's language."""
    return str(REQUEST_KINDS.get(kind, kind or "—"))


@dataclass(frozen=True)
class DeadlineView:
    """A filing's due date with the days left in its rule set's kind of days (or the days overdue)."""

    due_on: date
    provisional: bool
    days_left: int | None
    overdue_days: int
    kind: str
    undecided: bool
    paused: bool = False  # returned for amendment under a rule set that restarts the clock when materials arrive

    @property
    def level(self) -> str:
        if not self.undecided:
            return "decided"
        if self.overdue_days:
            return "overdue"
        if self.paused:
            return "paused"
        return "soon" if self.days_left is not None and self.days_left <= DUE_SOON_DAYS else "ok"

    @property
    def text(self) -> str:
        """ "剩 5 个工作日" / "已超期 3 日"; empty once decided."""
        if not self.undecided or self.days_left is None:
            return ""
        if self.overdue_days:
            return t("%(n)s days overdue", n=self.overdue_days)
        if self.paused:
            return t("restarts on amendment")
        if self.days_left <= 0:
            return t("due today")
        if self.kind == "working":
            return t("1 working day left") if self.days_left == 1 else t("%(n)s working days left", n=self.days_left)
        return t("1 day left") if self.days_left == 1 else t("%(n)s days left", n=self.days_left)


def deadline_of(contract: Contract) -> DeadlineView | None:
    """The decision deadline of a filing as shown in queues and on its pages; None before acceptance."""
    if contract.due_on is None:
        return None
    rule_set = find_rule_set(contract.rule_set)  # None when unknown: counted in calendar days
    today = today_local()
    overdue = (today - contract.due_on).days if deadlines.is_overdue(contract, today) else 0
    paused = contract.status == "amendment_requested" and bool(rule_set and rule_set.restart_clock_on_amendment)
    return DeadlineView(
        contract.due_on,
        bool(contract.due_provisional),
        deadlines.days_left(contract, today),
        overdue,
        rule_set.time_limit_kind if rule_set else deadlines.UNKNOWN_KIND,
        contract.status in UNDECIDED,
        paused,
    )


# ---- what the timeline says about each decision ------------------------------------------------------


def station_label(code: str | None) -> str:
    """A station's name and code ("邯山区技术合同登记站 130402"), or the code when unknown."""
    if not code:
        return "—"
    name = db.session.scalars(select(Station.name).where(Station.code == code)).first()
    return f"{name} {code}" if name else code


def change_field(field: str) -> str:
    """The name of a field a registration decision corrects or changes."""
    return str(CHANGE_FIELDS.get(field, field))


def decision_value(field: str, value, category: str | None = None) -> str:
    """A corrected or changed value as text: labels for codes, amounts with two decimals."""
    if value is None or value == "":
        return "—"
    if field == "category":
        return forms.label("category", value)
    if field == "subtype":
        found = cat.subtype_label(category or cat.category_of_subtype(value), value)
        return found.for_locale(current_language()) if found else str(value)
    if field == "amount_fixed":
        return t("yes") if value else t("no, to be supplemented")
    if field in ("certified_technical_amount", "amount", "technical_amount"):
        return f"{Decimal(str(value)).quantize(CENT):,.2f}"
    if field == "deductions" and isinstance(value, list):
        return "；".join(_deduction_text(row) for row in value) or t("none")
    if field == "other_parties" and isinstance(value, list):
        return "；".join(_party_text(row) for row in value) or t("none")
    if field == "brokers" and isinstance(value, list):
        return "；".join(f"{row.get('name')} {row.get('certificate_no')}" for row in value) or t("none")
    return str(value)


def _deduction_text(row: dict) -> str:
    """A deduction row as one phrase: kind, description, amount."""
    amount = row.get("amount")
    parts = (
        forms.label("deduction_kind", row.get("kind")),
        row.get("description") or "",
        f"{Decimal(str(amount)).quantize(CENT):,.2f}" if amount not in (None, "") else "",
    )
    return " ".join(p for p in parts if p) or "—"


def _party_text(row: dict) -> str:
    """Another party as one phrase: its role, name and code (an ID number masked)."""
    code = row.get("credit_code") or identifiers.mask_id_number(row.get("id_number")) or ""
    name = " ".join(p for p in (row.get("name") or "", code) if p)
    return f"{forms.label('party_role', row.get('role'))}：{name or '—'}"


def user_name(user_id: int | None) -> str:
    """The name of the account that took part in a decision (a proposer, an approver), or a dash."""
    user = db.session.get(User, user_id) if user_id else None
    return user.name if user else "—"


def second_review_reason(code: str) -> str:
    """Why a proposal needs a second reviewer, in the reader's language."""
    label = four_eyes.REASONS.get(code)
    return label.for_locale(current_language()) if label else code


def decision_credit(details: dict) -> str | None:
    """ "提议：A · 复核：B" for an act a second reviewer approved (a registration or a change); None otherwise."""
    approver = details.get("approved_by")
    proposer = details.get("proposed_by") or details.get("registered_by")
    if not approver or not proposer:
        return None
    return t(
        "Proposed: %(proposer)s · Approved: %(approver)s", proposer=user_name(proposer), approver=user_name(approver)
    )


# ---- what accepting starts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptPreview:
    """The time limit that accepting the filing now applies, why, and the decision date it gives."""

    due_on: date
    limit: str  # "30 个工作日"
    provisional: bool
    expert_threshold: Decimal | None  # set when the technical amount calls for expert review (the longer limit)
    continues: bool  # the clock already runs (accepted before, or restarted by amended materials)

    @property
    def text(self) -> str:
        due = self.due_on.isoformat() + (f" {t('(provisional)')}" if self.provisional else "")
        if self.continues:
            return t("The time limit is already running: decision due by %(date)s.", date=due)
        if self.expert_threshold is not None:
            return t(
                "The time limit of %(limit)s starts today, as the technical amount reaches the expert-review "
                "threshold of %(threshold)s yuan: the filing goes to the expert panel, and the decision is due by "
                "%(date)s.",
                limit=self.limit,
                threshold=f"{self.expert_threshold:,.2f}",
                date=due,
            )
        return t("The time limit of %(limit)s starts today: decision due by %(date)s.", limit=self.limit, date=due)


def accept_preview(contract: Contract) -> AcceptPreview | None:
    """What accepting the filing today starts (the same computation as deadlines.start_clock); None when its rule
    set is unknown."""
    rule_set = find_rule_set(contract.rule_set)
    if rule_set is None:
        return None
    if contract.clock_started_on is not None and contract.due_on is not None:
        limit = rule_set.days_label(rule_set.time_limit_days).for_locale(current_language())
        return AcceptPreview(contract.due_on, limit, bool(contract.due_provisional), None, True)
    deadline = decision_deadline(rule_set, today_local(), contract.technical_amount)
    expert = deadline.days != rule_set.time_limit_days
    limit = rule_set.days_label(deadline.days).for_locale(current_language())
    threshold = rule_set.expert_review_threshold if expert else None
    return AcceptPreview(deadline.due_on, limit, deadline.provisional, threshold, False)


# ---- what changed since the last submission ------------------------------------------------------------------

PARTY_MEMBERS = {
    "name": lt("Name"),
    "credit_code": lt("Unified social credit code"),
    "id_number": lt("Resident ID number"),
    "area_code": lt("Area"),
    "nature": lt("Nature"),
    "country": lt("Country code"),
}
FILING_FIELDS = {
    "title": lt("Contract title"),
    "category": lt("Category"),
    "subtype": lt("Sub-type"),
    "signed_on": lt("Signing date"),
    "valid_from": lt("Valid from"),
    "valid_until": lt("Valid until"),
    "amount": lt("Contract amount"),
    "technical_amount": lt("Technical transaction amount (declared)"),
    "technical_field": lt("Technical field"),
    "ip_type": lt("Type of intellectual property"),
    "plan_category": lt("Plan category"),
    "payment_method": lt("Payment method"),
    "summary": lt("Summary of the technical content"),
    "deductions": lt("Non-technical costs deducted"),
    "ip_numbers": lt("Patent or right numbers"),
    "license.exclusivity": lt("Licence terms"),
    "license.territory": lt("Licence terms"),
    "license.years": lt("Licence terms"),
}
CODED = {  # fields whose values are codes of a table, shown by name
    "category": "category",
    "technical_field": "technical_field",
    "ip_type": "ip_type",
    "plan_category": "plan_category",
    "payment_method": "payment_method",
    "license.exclusivity": "license_exclusivity",
    "license.territory": "license_territory",
}
AMOUNTS = ("amount", "technical_amount")


@dataclass(frozen=True)
class ChangedField:
    path: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Resubmission:
    """The panel "自上次提交以来的变更": when, what changed, and the amendment reasons it answers."""

    submitted_at: object
    reasons: list[str]
    fields: list[ChangedField]
    attachments_added: list[dict]
    attachments_removed: list[dict]


def filing_field(path: str) -> str:
    """The name of a filing field, including a party's ("卖方 · 名称")."""
    role, _, member = path.partition(".")
    if role in ("seller", "buyer") and member:
        party = t("Seller") if role == "seller" else t("Buyer")
        return f"{party} · {PARTY_MEMBERS.get(member, member)}"
    index, _, member = member.partition(".")
    if role == "other_parties" and index.isdigit():
        name = t("Role") if member == "role" else PARTY_MEMBERS.get(member, member)
        return f"{t('Other party %(number)s', number=int(index) + 1)} · {name}"
    return str(FILING_FIELDS.get(path, path))


def filing_value(path: str, value, snapshot: dict) -> str:
    """A snapshot's value as the station reads it: names for codes, amounts with two decimals, ID numbers masked."""
    if value is None or value == "" or value == []:
        return "—"
    if path in CODED:
        return forms.label(CODED[path], value)
    if path == "subtype":
        return forms.subtype_name(snapshot.get("category"), value)
    if path.startswith("other_parties.") and path.endswith(".role"):
        return forms.label("party_role", value)
    if path.endswith(".nature"):
        return f"{value} {forms.label('nature', value)}"
    if path.endswith(".id_number"):
        return identifiers.mask_id_number(value)
    if path in AMOUNTS:
        return f"{Decimal(str(value)):,.2f}"
    if path == "deductions":
        return "；".join(
            f"{forms.label('deduction_kind', d.get('kind'))} {d.get('description') or ''} {Decimal(str(d.get('amount') or 0)):,.2f}"
            for d in value
        )
    if path == "ip_numbers":
        return ", ".join(value)
    return str(value)


def resubmission_changes(contract: Contract) -> Resubmission | None:
    """What the latest submission changed against the one before it, when it answered an amendment request;
    None for a first submission (or one made before snapshots were kept)."""
    submissions = [h for h in contract.history if h.to_status == "submitted"]
    if len(submissions) < 2 or not (submissions[-1].details or {}).get("resubmission"):
        return None
    previous, latest = submissions[-2], submissions[-1]
    before, after = (previous.details or {}).get("snapshot"), (latest.details or {}).get("snapshot")
    if before is None or after is None:
        return None
    diff = diff_filings(before, after)
    requests = [h for h in contract.history if h.to_status == "amendment_requested" and previous.id < h.id < latest.id]
    reasons = [reason for h in requests for reason in (h.details or {}).get("reasons") or []]
    rows = [
        ChangedField(
            c.path,
            filing_field(c.path),
            filing_value(c.path, c.before, before),
            filing_value(c.path, c.after, after),
        )
        for c in diff.fields
    ]
    return Resubmission(latest.created_at, reasons, rows, diff.attachments_added, diff.attachments_removed)


# ---- the one line each confirmation says ---------------------------------------------------------------------


def confirmations(contract: Contract, pending) -> dict[str, str]:
    """For each act of the review page, the consequence its confirmation states (static/js/tcr.js asks)."""
    seller = contract.seller.name if contract.seller and contract.seller.name else "—"
    number = contract.registration_number or "—"
    preview = accept_preview(contract)
    texts = {
        "accept": t("Accept the filing for review. %(hint)s", hint=preview.text)
        if preview
        else t("Accept the filing for review: the decision clock starts today."),
        "register": t(
            "Register: a registration number and a signed certificate are issued to %(seller)s, and the tax office "
            "is told.",
            seller=seller,
        ),
        "request_amendment": t(
            "Return the filing to %(seller)s for amendment, with the reasons and the due date entered.", seller=seller
        ),
        "refuse": t("Refuse registration: the filing is closed and %(seller)s is told the grounds.", seller=seller),
        "change": t(
            "Change registration %(number)s: a new certificate version is issued and the tax office is told (where "
            "four eyes apply, only once a second reviewer approves).",
            number=number,
        ),
        "cancel": t(
            "Cancel registration %(number)s (注销): its certificate then verifies as cancelled, and the tax office "
            "and the applicant are told.",
            number=number,
        ),
        "revoke": t(
            "Revoke registration %(number)s (撤销): its certificate then verifies as revoked, and the tax office and "
            "the applicant are told.",
            number=number,
        ),
        "reassign": t("Move the filing to the chosen station: its reviewers take over the decision."),
        "approve_request": t(
            "Approve the applicant's request on registration %(number)s: it is applied as the station's change or "
            "cancellation (where four eyes apply, once a second reviewer approves), and the applicant is told.",
            number=number,
        ),
        "refuse_request": t("Refuse the applicant's request: nothing changes, and the applicant reads your note."),
        "send_to_experts": t(
            "Send the filing to the expert panel: the bureau holds it until the panel's opinion is recorded, and the "
            "longer time limit of expert review applies."
        ),
    }
    if _needs_second_reviewer(contract):
        texts["register"] = t(
            "Propose the registration: it waits for a second reviewer of the station, and the number and the "
            "certificate for %(seller)s are issued only when they approve.",
            seller=seller,
        )
    if pending is not None:
        texts["approve"] = (
            t(
                "Approve the change: a new certificate version is issued to %(seller)s and the tax office is told.",
                seller=seller,
            )
            if pending.kind == "change"
            else t(
                "Approve: a registration number and a signed certificate are issued to %(seller)s, and the tax "
                "office is told.",
                seller=seller,
            )
        )
    return texts


def _needs_second_reviewer(contract: Contract) -> bool:
    """Whether registering the filing as declared needs four eyes (the same rule the register service applies)."""
    rule_set = find_rule_set(contract.rule_set)
    if rule_set is None or contract.status == "registered":
        return False
    declared = four_eyes.Classification(contract.category, contract.subtype, contract.technical_amount)
    return bool(four_eyes.second_review_reasons(rule_set.second_review_threshold, declared, declared, in_force=False))


# Jinja globals for the station's pages and the decision details on the applicant's page (installed by the factory)
TEMPLATE_GLOBALS = {
    "deadline_of": deadline_of,
    "station_label": station_label,
    "change_field": change_field,
    "decision_value": decision_value,
    "user_name": user_name,
    "second_review_reason": second_review_reason,
    "find_rule_set": find_rule_set,
    "refusal_grounds_of": refusal_grounds_of,
    "decision_credit": decision_credit,
    "request_kind": request_kind,
    "holder_of": deadlines.holder,
    "promised_due_of": deadlines.promised_due_on,
    "today": today_local,
}
