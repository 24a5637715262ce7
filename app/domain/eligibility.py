"""Tax eligibility facts (DOMAIN.md §8): stated with the rule that grounds them; nobody's tax is computed."""

from __future__ import annotations

from dataclasses import dataclass

VAT_BASIS = "财税〔2016〕36号附件3第一条第二十六项"
CIT_BASIS = (
    "《企业所得税法》第二十七条第（四）项、《实施条例》第九十条、财税〔2010〕111号、国家税务总局公告2015年第82号"
)
RD_BASIS = "财税〔2015〕119号、财政部 税务总局公告2023年第7号（委托、合作研究开发费用加计扣除）"

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
CIT_OWNERSHIP_SUBTYPES = ("patent_right", "other_transfer", "equity")
MIN_LICENCE_YEARS = 5


@dataclass(frozen=True)
class Fact:
    """One eligibility fact: yes (True), no (False) or needs review (None), with its basis and why."""

    eligible: bool | None
    basis: str
    reason: str

    def as_dict(self) -> dict:
        status = {True: "eligible", False: "not_eligible", None: "needs_review"}[self.eligible]
        return {"eligible": self.eligible, "status": status, "basis": self.basis, "reason": self.reason}


def vat_exemption(category: str) -> Fact:
    """The seller's VAT exemption: development, transfer, licensing; pure consultation or service does not qualify."""
    if category in VAT_CATEGORIES:
        return Fact(True, VAT_BASIS, "技术开发、转让、许可合同的收入（含随同提供并一并收取价款的咨询、服务）免征增值税")
    return Fact(False, VAT_BASIS, "单独的技术咨询、技术服务合同不属于免税范围")


def _seller_is_resident_enterprise(seller_nature: str | None, seller_country: str | None) -> bool | None:
    if seller_country and seller_country != "156":
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
) -> Fact:
    """The seller's income-tax relief on transfer income: ownership transfers, or licences of at least five years,
    of the qualifying rights; whether the parties are 100 % related is never known here, so a contract that meets
    every other condition needs review."""
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
    return Fact(
        None,
        CIT_BASIS,
        "其余条件均满足；须核实双方不是100%关联方、转让所得按规定核算"
        + ("；卖方性质待确认" if resident is None else ""),
    )


def rd_super_deduction(category: str) -> Fact:
    """The buyer's R&D super deduction for commissioned or cooperative development."""
    if category == "development":
        return Fact(True, RD_BASIS, "已登记的技术开发合同，委托方（合作方）可按规定加计扣除研发费用")
    return Fact(False, RD_BASIS, "仅技术开发合同适用")


def eligibility_facts(
    category: str,
    subtype: str,
    ip_type: str | None,
    seller_nature: str | None,
    seller_country: str | None,
    licence_years: int | None,
) -> dict:
    """The three facts the tax feed and exports carry, keyed as API.md promises."""
    return {
        "vat_exemption": vat_exemption(category).as_dict(),
        "cit_transfer_income": cit_transfer_income(
            category, subtype, ip_type, seller_nature, seller_country, licence_years
        ).as_dict(),
        "rd_super_deduction": rd_super_deduction(category).as_dict(),
    }
