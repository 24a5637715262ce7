"""Absorption (吸纳) from other registries: where an absorbed registration comes from, and what counts as
"Beijing R&D, Handan transfer" (京津研发、邯郸转化).

Registration follows the seller's territory (DOMAIN.md §12), so a Handan enterprise's purchase from a Beijing or
Tianjin seller is registered there; the bureau imports those registrations and the absorption statistics count them
beside the local registry's, marked by their source. Pure data: no Flask, no database.
"""

from __future__ import annotations

from app.domain import areas
from app.domain.catalogue import Label

LOCAL_SOURCE = "local"  # the local registry's own registrations
# The registries an import can come from (given by the bureau at import), in display order.
IMPORT_SOURCES: dict[str, Label] = {
    "beijing": Label("北京", "Beijing"),
    "tianjin": Label("天津", "Tianjin"),
    "hebei": Label("河北省内其他登记机构", "Other registries of the province"),
    "other": Label("其他登记机构", "Other registries"),
}
# The statistics' "source" dimension: the local registry, then each import source.
SOURCES: dict[str, Label] = {
    LOCAL_SOURCE: Label("本地登记", "Local registry"),
    "beijing": Label("北京吸纳", "Absorbed from Beijing"),
    "tianjin": Label("天津吸纳", "Absorbed from Tianjin"),
    "hebei": Label("省内其他登记机构吸纳", "Absorbed from other registries of the province"),
    "other": Label("其他登记机构吸纳", "Absorbed from other registries"),
}
IMPORTED_STATUSES = ("registered", "cancelled", "revoked")
HOME_CITY_PREFIX = areas.HANDAN[:4]  # a buyer in Handan: area code 1304xx
BEIJING_TIANJIN_PREFIXES = (areas.BEIJING[:2], areas.TIANJIN[:2])


def is_home_buyer(area_code: str | None) -> bool:
    """Whether a buyer's area code lies in the home city (only such registrations are absorbed)."""
    return bool(area_code) and area_code.startswith(HOME_CITY_PREFIX) and areas.is_known(area_code)


def is_beijing_tianjin_seller(area_code: str | None) -> bool:
    """Whether a seller's area code lies in Beijing or Tianjin (the plan's 京津研发 side)."""
    return bool(area_code) and area_code[:2] in BEIJING_TIANJIN_PREFIXES
