"""The national layout's codes for the per-contract upload file (全国技术合同登记 upload) and the report tables.

The national layout knows the five contract categories of the Civil Code (技术开发, 技术转让, 技术许可, 技术咨询,
技术服务) and their sub-types; technology contributed as equity (技术入股) is a flag of a transfer, not a sub-type
(DOMAIN.md §12). The numeric codes below (category 1–5, sub-type = category digit + sequence) follow the order of
the national tables' rows; the exact codes of the national registration system's exchange format were not available
to check *(unconfirmed: kept as data, so that the province's code list can replace them without touching code)*.
"""

from __future__ import annotations

from app.domain.catalogue import CATEGORIES, SUBTYPES, Label

NATIONAL_CATEGORY_CODES: dict[str, str] = {
    "development": "1",
    "transfer": "2",
    "licensing": "3",
    "consultation": "4",
    "service": "5",
}

NATIONAL_SUBTYPE_CODES: dict[str, str] = {
    "commissioned": "11",
    "cooperative": "12",
    "patent_right": "21",
    "patent_application_right": "22",
    "know_how": "23",
    "other_transfer": "24",
    "patent_license": "31",
    "know_how_license": "32",
    "other_license": "33",
    "consultation": "41",
    "technical_service": "51",
    "training": "52",
    "intermediary": "53",
}

# The events the upload file carries, with the national layout's words for them.
UPLOAD_EVENTS: dict[str, Label] = {
    "registered": Label("登记", "Registered"),
    "changed": Label("变更", "Changed"),
    "cancelled": Label("注销", "Cancelled"),
    "revoked": Label("撤销", "Revoked"),
}


def national_category(category: str | None) -> tuple[str, str]:
    """(code, Chinese name) of a category in the national layout; ("", "") when unknown."""
    if category not in NATIONAL_CATEGORY_CODES:
        return "", ""
    return NATIONAL_CATEGORY_CODES[category], CATEGORIES[category].zh


def national_subtype(category: str | None, subtype: str | None) -> tuple[str, str]:
    """(code, Chinese name) of a sub-type in the national layout; ("", "") when unknown."""
    label = SUBTYPES.get(category or "", {}).get(subtype or "")
    if label is None or subtype not in NATIONAL_SUBTYPE_CODES:
        return "", ""
    return NATIONAL_SUBTYPE_CODES[subtype], label.zh
