"""The code lists of the filing form and the registry, each an ordered mapping code -> Label."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """A display name in Chinese (the default) and English."""

    zh: str
    en: str

    def for_locale(self, locale: str | None) -> str:
        """The English name for an "en…" locale, the Chinese one otherwise."""
        return self.en if (locale or "").lower().startswith("en") else self.zh


COUNTRY_CHINA = "156"

CATEGORIES: dict[str, Label] = {
    "development": Label("技术开发", "Technology development"),
    "transfer": Label("技术转让", "Technology transfer"),
    "licensing": Label("技术许可", "Technology licensing"),
    "consultation": Label("技术咨询", "Technical consultation"),
    "service": Label("技术服务", "Technical service"),
}

SUBTYPES: dict[str, dict[str, Label]] = {
    "development": {
        "commissioned": Label("委托开发", "Commissioned development"),
        "cooperative": Label("合作开发", "Cooperative development"),
    },
    "transfer": {
        "patent_right": Label("专利权转让", "Patent right transfer"),
        "patent_application_right": Label("专利申请权转让", "Patent application right transfer"),
        "know_how": Label("技术秘密转让", "Know-how transfer"),
        "other_transfer": Label("其他技术转让", "Other technology transfer"),
    },
    "licensing": {
        "patent_license": Label("专利实施许可", "Patent licence"),
        "know_how_license": Label("技术秘密使用许可", "Know-how licence"),
        "other_license": Label("其他技术许可", "Other technology licence"),
    },
    "consultation": {
        "consultation": Label("技术咨询", "Technical consultation"),
    },
    "service": {
        "technical_service": Label("技术服务", "Technical service"),
        "training": Label("技术培训", "Technical training"),
        "intermediary": Label("技术中介", "Technology intermediary"),
    },
}

# The roles of the parties beside the first seller and buyer (DOMAIN.md §12): co-sellers, further buyers, and the
# intermediary of a brokered (tripartite) deal.
PARTY_ROLES: dict[str, Label] = {
    "seller": Label("卖方", "Seller"),
    "buyer": Label("买方", "Buyer"),
    "intermediary": Label("中介方", "Intermediary"),
}

TECHNICAL_FIELDS: dict[str, Label] = {
    "electronic_information": Label("电子信息", "Electronic information"),
    "advanced_manufacturing": Label("先进制造", "Advanced manufacturing"),
    "aerospace": Label("航空航天", "Aerospace"),
    "modern_transport": Label("现代交通", "Modern transport"),
    "agriculture": Label("农业", "Agriculture"),
    "new_materials": Label("新材料及其应用", "New materials and their applications"),
    "new_energy": Label("新能源与高效节能", "New energy and energy efficiency"),
    "environment": Label("环境保护与资源综合利用", "Environmental protection and resource recycling"),
    "biomedicine": Label("生物、医药和医疗器械", "Biology, medicine and medical devices"),
    "nuclear": Label("核应用", "Nuclear applications"),
    "urban_social": Label("城市建设与社会发展", "Urban construction and social development"),
}

# Three-digit party-nature codes; a code ending in 0 heads the group of the codes that follow it.
PARTY_NATURES: dict[str, Label] = {
    "010": Label("机关", "Government bodies"),
    "020": Label("事业单位", "Public institutions"),
    "021": Label("科研院所", "Research institutes"),
    "022": Label("高等院校", "Universities"),
    "023": Label("医疗卫生机构", "Medical and health institutions"),
    "024": Label("其他事业单位", "Other public institutions"),
    "030": Label("社会团体", "Social organisations"),
    "100": Label("内资企业", "Domestic enterprises"),
    "110": Label("国有企业", "State-owned enterprises"),
    "120": Label("集体企业", "Collective enterprises"),
    "130": Label("股份合作企业", "Joint-stock cooperative enterprises"),
    "140": Label("联营企业", "Joint enterprises"),
    "150": Label("有限责任公司", "Limited liability companies"),
    "160": Label("股份有限公司", "Joint-stock companies"),
    "170": Label("私营企业", "Private enterprises"),
    "180": Label("其他企业", "Other enterprises"),
    "200": Label("港澳台商投资企业", "Hong Kong, Macao and Taiwan-invested enterprises"),
    "210": Label("合资经营企业（港或澳、台资）", "Equity joint ventures (Hong Kong, Macao or Taiwan)"),
    "220": Label("合作经营企业（港或澳、台资）", "Contractual joint ventures (Hong Kong, Macao or Taiwan)"),
    "230": Label("港、澳、台商独资经营企业", "Wholly Hong Kong, Macao or Taiwan-owned enterprises"),
    "240": Label("港、澳、台商投资股份有限公司", "Hong Kong, Macao or Taiwan-invested joint-stock companies"),
    "300": Label("外商投资企业", "Foreign-invested enterprises"),
    "310": Label("中外合资经营企业", "Sino-foreign equity joint ventures"),
    "320": Label("中外合作经营企业", "Sino-foreign contractual joint ventures"),
    "330": Label("外资企业", "Wholly foreign-owned enterprises"),
    "340": Label("外商投资股份有限公司", "Foreign-invested joint-stock companies"),
    "400": Label("个人", "Individuals"),
}

IP_TYPES: dict[str, Label] = {
    "invention_patent": Label("发明专利", "Invention patent"),
    "utility_model": Label("实用新型专利", "Utility model"),
    "design": Label("外观设计专利", "Design patent"),
    "know_how": Label("技术秘密", "Know-how"),
    "software_copyright": Label("计算机软件著作权", "Software copyright"),
    "ic_layout": Label("集成电路布图设计", "Integrated-circuit layout design"),
    "plant_variety": Label("植物新品种", "Plant variety"),
    "biomedicine_variety": Label("生物医药新品种", "Bio-medicine variety"),
    "other": Label("其他知识产权", "Other intellectual property"),
    "none": Label("未涉及知识产权", "No intellectual property"),
}

# IP types whose numbers are patent (application) numbers, and types that come with a certificate.
PATENT_IP_TYPES: frozenset[str] = frozenset({"invention_patent", "utility_model", "design"})
REGISTERED_IP_TYPES: frozenset[str] = PATENT_IP_TYPES | {
    "software_copyright",
    "ic_layout",
    "plant_variety",
    "biomedicine_variety",
}
# Technology contributed as equity (技术入股) is a flag of a transfer contract of any of its sub-types, not a sub-type
# (DOMAIN.md §12): the national layout reports it as a separate column. "equity" was a sub-type code once; a client
# that still sends it is mapped by `equity_subtype` (and so was the registry when the flag came).
EQUITY = Label("技术入股", "Technology contributed as equity")
EQUITY_CATEGORY = "transfer"
LEGACY_EQUITY_SUBTYPE = "equity"
PATENT_SUBTYPES: frozenset[str] = frozenset({"patent_right", "patent_application_right", "patent_license"})

PLAN_CATEGORIES: dict[str, Label] = {
    "national": Label("国家计划项目", "National plan project"),
    "ministerial": Label("部门计划项目", "Ministerial plan project"),
    "provincial": Label("省级计划项目", "Provincial plan project"),
    "city": Label("市级计划项目", "City plan project"),
    "other": Label("其他计划项目", "Other plan project"),
    "none": Label("非计划项目", "Not a plan project"),
}

PAYMENT_METHODS: dict[str, Label] = {
    "lump_sum": Label("一次总付", "Lump sum"),
    "instalments": Label("分期支付", "Instalments"),
    "royalty": Label("提成支付", "Royalty"),
    "lump_sum_plus_royalty": Label("入门费加提成", "Initial fee plus royalty"),
    "other": Label("其他方式", "Other"),
}

DEDUCTION_KINDS: dict[str, Label] = {
    "equipment": Label("设备", "Equipment"),
    "instruments": Label("仪器", "Instruments"),
    "parts": Label("零部件", "Parts"),
    "raw_materials": Label("原材料", "Raw materials"),
    "other": Label("其他非技术性费用", "Other non-technical costs"),
}

LICENSE_EXCLUSIVITY: dict[str, Label] = {
    "exclusive": Label("独占", "Exclusive"),
    "sole": Label("排他", "Sole"),
    "non_exclusive": Label("普通", "Non-exclusive"),
}

LICENSE_TERRITORY: dict[str, Label] = {
    "worldwide": Label("全球范围", "Worldwide"),
    "china": Label("中国境内", "Within China"),
    "other": Label("其他地域", "Other territory"),
}

ATTACHMENT_KINDS: dict[str, Label] = {
    "contract_text": Label("合同文本", "Contract text"),
    "technical_annex": Label("盖章的技术附件", "Stamped technical annex"),
    "quotation": Label("报价明细", "Itemised quotation"),
    "ip_certificate": Label("知识产权证书", "IP certificate"),
    "consistency_undertaking": Label("中外文本一致性承诺书", "Consistency undertaking"),
    "representative_authorisation": Label("法定代表人授权书", "Legal representative's authorisation"),
    "funder_consent": Label("资助方同意书", "Funding body's consent"),
    "import_licence": Label("技术进口合同登记证书", "Technology import contract registration certificate"),
    "other": Label("其他材料", "Other document"),
}

# A change (变更) is an event, not a status: a changed contract stays registered with a new certificate.
STATUSES: dict[str, Label] = {
    "draft": Label("草稿", "Draft"),
    "submitted": Label("已提交", "Submitted"),
    "accepted": Label("已受理", "Accepted"),
    "expert_review": Label("专家评审中", "With the expert panel"),
    "amendment_requested": Label("待补正", "Amendment requested"),
    "registered": Label("已登记", "Registered"),
    "refused": Label("未予登记", "Refused"),
    "cancelled": Label("已注销", "Cancelled"),
    "revoked": Label("已撤销", "Revoked"),
    "withdrawn": Label("已撤回", "Withdrawn"),
}

# The expert panel's opinion on a filing handed over for expert review.
EXPERT_OUTCOMES: dict[str, Label] = {
    "supports": Label("同意登记", "Supports registration"),
    "supports_with_changes": Label("修改后同意登记", "Supports registration with changes"),
    "does_not_support": Label("不同意登记", "Does not support registration"),
}

# The tax eligibility facts' statuses (app.domain.eligibility): yes, no, or a tax office must check.
ELIGIBILITY: dict[str, Label] = {
    "eligible": Label("符合", "Eligible"),
    "not_eligible": Label("不符合", "Not eligible"),
    "needs_review": Label("需核实", "Needs review"),
}

CERTIFICATE_STATUSES: dict[str, Label] = {
    "valid": Label("有效", "Valid"),
    "superseded": Label("已被新版本取代", "Superseded"),
    "cancelled": Label("已注销", "Cancelled"),
    "revoked": Label("已撤销", "Revoked"),
}

VERIFICATION_RESULTS: dict[str, Label] = {
    "valid": Label("验证通过", "Valid"),
    "invalid": Label("验证未通过", "Invalid"),
    "unknown": Label("暂时无法确认", "Unknown"),
}

# Every refusal ground any rule set has had (what a registered refusal may carry, and what statistics count); each
# rule set offers its own list of these codes (RuleSet.refusal_grounds). A code keeps its meaning for good.
REFUSAL_GROUNDS: dict[str, Label] = {
    "contract_invalid": Label("合同无效或者尚未生效", "The contract is invalid or not yet in effect"),
    "not_technology_contract": Label("不属于技术合同", "Not a technology contract"),
    "parties_unclear": Label("当事人不明确", "The parties are unclear"),
    "subject_unclear": Label("技术标的不明确", "The technical subject is unclear"),
    "price_unclear": Label("价款、报酬或者使用费不明确", "The price, remuneration or royalty is unclear"),
    "terms_unclear": Label(
        "合同主体、技术标的、价款、报酬或者使用费约定不明确",
        "The parties, the technical subject, or the price, remuneration or royalty are not clearly agreed",
    ),
    "approval_missing": Label("应当办理批准手续而未办理", "A required state approval is missing"),
    "name_mismatch": Label(
        "合同名称与权利义务不符且未按要求补正",
        "The contract's name does not match its rights and duties and was not amended",
    ),
    "restrictive_clauses": Label(
        "含有非法垄断技术、妨碍技术进步的条款或者侵害他人技术成果",
        "Illegal technology-monopoly or restrictive clauses, or infringement of others' achievements",
    ),
    "documents_missing": Label("证明材料缺失或者不符合要求", "Supporting documents are missing or non-compliant"),
    "seals_incomplete": Label("签章不全或者与书面名称不符", "Seals are incomplete or do not match the written names"),
    "other": Label("其他原因", "Other reason"),
}


def subtype_label(category: str | None, subtype: str | None) -> Label | None:
    """The label of a sub-type within its category, or None when the pair is unknown."""
    return SUBTYPES.get(category or "", {}).get(subtype or "")


def equity_subtype(ip_type: str | None, ip_numbers: list[str] | tuple[str, ...] | None) -> str:
    """The transfer sub-type a contract filed as the former sub-type "equity" has: a patent with its number is a
    patent right, know-how is know-how, anything else an other transfer (the migration does the same in SQL)."""
    if ip_type in PATENT_IP_TYPES and ip_numbers:
        return "patent_right"
    if ip_type == "know_how":
        return "know_how"
    return "other_transfer"


def category_of_subtype(subtype: str | None) -> str | None:
    """The category a sub-type code belongs to, or None for an unknown code."""
    for category, subtypes in SUBTYPES.items():
        if subtype in subtypes:
            return category
    return None
