"""Tax eligibility facts (DOMAIN.md §8, §12): each stated with the legal basis valid on the registration date
and whether that basis is confirmed; nobody's tax is computed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.catalogue import COUNTRY_CHINA


@dataclass(frozen=True)
class Basis:
    """The rule that grounds a fact, for registrations from valid_from until valid_until (exclusive)."""

    text: str
    valid_from: date | None = None
    valid_until: date | None = None
    confirmed: bool = True

    def valid_on(self, day: date) -> bool:
        """Whether this basis applies to a registration on that day."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day < self.valid_until
        )


VAT_LAW_FROM = date(2026, 1, 1)
# DOMAIN.md §8 and §12: the exemption of 财税〔2016〕36号 until the VAT law took effect; whether it continues under
# the law is unconfirmed, so the fact from 2026-01-01 carries confirmed: false.
VAT_BASES: tuple[Basis, ...] = (
    Basis("财税〔2016〕36号附件3第一条第二十六项", date(2016, 5, 1), VAT_LAW_FROM),
    Basis(
        "《中华人民共和国增值税法》（2026年1月1日起施行）；"
        "财税〔2016〕36号附件3第一条第二十六项技术转让、开发免税在该法下的延续待确认",
        VAT_LAW_FROM,
        None,
        confirmed=False,
    ),
)
CIT_BASIS = Basis(
    "《企业所得税法》第二十七条第（四）项、《实施条例》第九十条、财税〔2010〕111号、国家税务总局公告2015年第82号"
)
RD_BASIS = Basis("财税〔2015〕119号、财政部 税务总局公告2023年第7号（委托、合作研究开发费用加计扣除）")
RD_FOREIGN_BASIS = Basis("财税〔2018〕64号（委托境外研究开发费用加计扣除）")

VAT_CATEGORIES = ("development", "transfer", "licensing")
# Subjects of the income-tax relief on transfer income: patents, software copyright, IC layout, plant and
# bio-medicine varieties (财税〔2010〕111号 第一条).
CIT_IP_TYPES = (
    "invention_patent",
    "utility_model",
    "design",
    "software_copyright",
    "ic_layout",
    "plant_variety",
    "biomedicine_variety",
)
CIT_OWNERSHIP_SUBTYPES = ("patent_right", "other_transfer")
MIN_LICENCE_YEARS = 5
# DOMAIN.md §12: government bodies (010) and individuals (400) pay no enterprise income tax; enterprises are the
# natures of the groups 100 (domestic), 200 (Hong Kong, Macao, Taiwan) and 300 (foreign-invested).
NO_INCOME_TAX_NATURES = ("010", "400")
ENTERPRISE_NATURE_PREFIXES = ("1", "2", "3")


@dataclass(frozen=True)
class Fact:
    """One eligibility fact: yes (True), no (False) or needs review (None), with its basis and why."""

    eligible: bool | None
    basis: Basis
    reason: str
    provincial_confirmation_required: bool | None = None  # stated for the transfer-income relief only

    def as_dict(self) -> dict:
        """The fact as the feed, the exports and the tax office's page carry it."""
        status = {True: "eligible", False: "not_eligible", None: "needs_review"}[self.eligible]
        fact = {
            "eligible": self.eligible,
            "status": status,
            "basis": self.basis.text,
            "reason": self.reason,
            "confirmed": self.basis.confirmed,
            "basis_valid_from": self.basis.valid_from.isoformat() if self.basis.valid_from else None,
        }
        if self.provincial_confirmation_required is not None:
            fact["provincial_confirmation_required"] = self.provincial_confirmation_required
        return fact


def vat_basis(registered_on: date | None) -> Basis:
    """The VAT exemption's basis valid on the registration date (the newest for a registration not yet made)."""
    day = registered_on or date.max
    return next((basis for basis in VAT_BASES if basis.valid_on(day)), VAT_BASES[-1])


def vat_exemption(category: str, registered_on: date | None = None) -> Fact:
    """The seller's VAT exemption: development, transfer, licensing; pure consultation or service does not qualify."""
    basis = vat_basis(registered_on)
    if category in VAT_CATEGORIES:
        return Fact(True, basis, "技术开发、转让、许可合同的收入（含随同提供并一并收取价款的咨询、服务）免征增值税")
    return Fact(False, basis, "单独的技术咨询、技术服务合同不属于免税范围")


def _seller_is_resident_enterprise(seller_nature: str | None, seller_country: str | None) -> bool | None:
    if seller_country and seller_country != COUNTRY_CHINA:
        return False
    if seller_nature is None:
        return None
    return seller_nature != "400"  # individuals pay individual income tax, not enterprise income tax


def cit_transfer_income(
    category: str,
    subtype: str,
    ip_type: str | None,
    seller_nature: str | None,
    seller_country: str | None,
    licence_years: int | None,
    provincial_registry: bool = False,
) -> Fact:
    """The seller's income-tax relief on transfer income: ownership transfers, or licences of at least five years,
    of the qualifying rights; whether the parties are 100 % related is never known here, so a contract that meets
    every other condition needs review. 财税〔2010〕111号 wants domestic transfers registered by a science department
    at provincial level or above: a registration by a city station states that provincial confirmation is needed."""
    resident = _seller_is_resident_enterprise(seller_nature, seller_country)
    if resident is False:
        return Fact(False, CIT_BASIS, "卖方不是居民企业")
    if category not in ("transfer", "licensing") or ip_type not in CIT_IP_TYPES:
        return Fact(
            False, CIT_BASIS, "不属于专利、计算机软件著作权、集成电路布图设计、植物新品种、生物医药新品种等的转让或许可"
        )
    if category == "transfer" and subtype not in CIT_OWNERSHIP_SUBTYPES:
        return Fact(False, CIT_BASIS, "专利申请权、技术秘密等转让不属于所有权转让的适用范围")
    if category == "licensing" and (licence_years or 0) < MIN_LICENCE_YEARS:
        return Fact(False, CIT_BASIS, "许可使用期限不足5年")
    confirmation = (
        "" if provincial_registry else "；本登记由市级登记机构作出，须经省级以上科技部门认定登记（财税〔2010〕111号）"
    )
    return Fact(
        None,
        CIT_BASIS,
        "其余条件均满足；须核实双方不是100%关联方、转让所得按规定核算"
        + ("；卖方性质待确认" if resident is None else "")
        + confirmation,
        provincial_confirmation_required=not provincial_registry,
    )


def rd_super_deduction(
    category: str,
    buyer_nature: str | None = None,
    buyer_country: str | None = COUNTRY_CHINA,
    seller_country: str | None = COUNTRY_CHINA,
) -> Fact:
    """The buyer's R&D super deduction for commissioned or cooperative development, stated only for an
    enterprise buyer that pays income tax in China; R&D commissioned abroad has its own rule."""
    if category != "development":
        return Fact(False, RD_BASIS, "仅技术开发合同适用")
    if buyer_country and buyer_country != COUNTRY_CHINA:
        return Fact(False, RD_BASIS, "委托方（合作方）为境外单位，不在我国缴纳企业所得税")
    if buyer_nature in NO_INCOME_TAX_NATURES:
        return Fact(False, RD_BASIS, "委托方（合作方）为机关或个人，不缴纳企业所得税，不适用加计扣除")
    if seller_country and seller_country != COUNTRY_CHINA:
        return Fact(None, RD_FOREIGN_BASIS, "委托境外研究开发：按财税〔2018〕64号的比例和限额核实")
    if buyer_nature is None or not buyer_nature.startswith(ENTERPRISE_NATURE_PREFIXES):
        return Fact(None, RD_BASIS, "委托方（合作方）不是企业或性质待确认：须核实是否为缴纳企业所得税的居民企业")
    return Fact(True, RD_BASIS, "已登记的技术开发合同，委托方（合作方）为企业，可按规定加计扣除研发费用")


def eligibility_facts(
    category: str,
    subtype: str,
    ip_type: str | None,
    seller_nature: str | None,
    seller_country: str | None,
    licence_years: int | None,
    *,
    buyer_nature: str | None = None,
    buyer_country: str | None = COUNTRY_CHINA,
    registered_on: date | None = None,
    provincial_registry: bool = False,
) -> dict:
    """The three facts the tax feed and exports carry, keyed as API.md promises. Every station of this system
    is a city one, so provincial_registry stays False unless a caller knows better."""
    return {
        "vat_exemption": vat_exemption(category, registered_on).as_dict(),
        "cit_transfer_income": cit_transfer_income(
            category, subtype, ip_type, seller_nature, seller_country, licence_years, provincial_registry
        ).as_dict(),
        "rd_super_deduction": rd_super_deduction(category, buyer_nature, buyer_country, seller_country).as_dict(),
    }
