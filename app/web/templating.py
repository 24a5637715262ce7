"""The template helpers (Jinja globals and filters) every page may use, installed once by the factory.

Site-wide helpers (money, local time, labels, the navigation's permission checks) live here; a capability's own
helpers live beside its views and are collected here, so that no blueprint installs anything on the application.
Globals rather than a context processor, so that imported macros see them too."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from flask import Flask, request
from flask_login import current_user

from app.accounts.members import views as members_views
from app.auth.permissions import Permission, has_permission
from app.brokers import views as brokers_views
from app.claims import views as claims_views
from app.documents import views as documents_views
from app.domain import areas, identifiers
from app.domain.clock import local
from app.i18n import lt
from app.imports import views as imports_views
from app.messages import views as messages_views
from app.review import views as review_views
from app.statistics import views as statistics_views
from app.subsidies import views as subsidies_views
from app.tax import views as tax_views
from app.web import forms

CENT = Decimal("0.01")
ROLE_NAMES = {
    "applicant": lt("Applicant"),
    "reviewer": lt("Station reviewer"),
    "bureau": lt("Science bureau"),
    "tax": lt("Tax officer"),
    "system": lt("System"),
}
READ_PERMISSIONS = (Permission.CONTRACT_READ_OWN, Permission.CONTRACT_READ_STATION, Permission.CONTRACT_READ_ALL)


def money(value) -> str:
    """1250000 → "1,250,000.00", from Decimal only (a float is refused, never rounded silently)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        raise TypeError("money is never a float")
    return f"{Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def localtime(moment, with_time: bool = True) -> str:
    """An aware UTC instant as Asia/Shanghai wall-clock time."""
    if moment is None:
        return "—"
    return local(moment).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def area_name(code: str | None) -> str:
    """The full name of a division code (河北省邯郸市邯山区), or the code when unknown."""
    return areas.full_name(code) if code else ""


def filesize(size: int | None) -> str:
    """Bytes as KiB or MiB."""
    if size is None:
        return ""
    if size < 1024 * 1024:
        return f"{max(size, 1) / 1024:.1f} KiB" if size >= 1024 else f"{size} B"
    return f"{size / (1024 * 1024):.1f} MiB"


def masked(id_number: str | None) -> str:
    """A resident ID number with its middle hidden (shown masked everywhere)."""
    return identifiers.mask_id_number(id_number)


def lang_url(code: str) -> str:
    """The current page in another language."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", code)]
    return f"{request.path}?{urlencode(args)}"


def reads_contracts() -> bool:
    """Whether the signed-in account has a contract list to look at."""
    return any(has_permission(current_user, p) for p in READ_PERMISSIONS)


def handan_areas() -> list[tuple[str, str]]:
    """Suggestions for area-code inputs: Handan and its districts and counties."""
    return [("130400", areas.full_name("130400"))] + [(a.code, a.name) for a in areas.handan_counties()]


def role_name(role: str | None) -> str:
    """A role's name in the reader's language."""
    return str(ROLE_NAMES.get(role or "", role or ""))


def user_can(permission: str) -> bool:
    """Whether the signed-in account holds a permission ("contract:review"): what the navigation offers."""
    return has_permission(current_user, Permission(permission))


def can_file_contracts() -> bool:
    """Whether the signed-in account may file contracts."""
    return has_permission(current_user, Permission.CONTRACT_FILE)


def register_template_helpers(app: Flask) -> None:
    """Install every Jinja global and filter on the application, once."""
    app.jinja_env.filters.update(
        money=money,
        localtime=localtime,
        area_name=area_name,
        filesize=filesize,
        masked=masked,
        **statistics_views.TEMPLATE_FILTERS,
    )
    app.jinja_env.globals.update(
        label=forms.label,
        subtype_name=forms.subtype_name,
        choices=forms.choices,
        subtypes_of=forms.subtypes_of,
        lang_url=lang_url,
        reads_contracts=reads_contracts,
        role_name=role_name,
        handan_areas=handan_areas,
        can_file_contracts=can_file_contracts,
        user_can=user_can,
        **review_views.TEMPLATE_GLOBALS,
        **statistics_views.TEMPLATE_GLOBALS,
        **claims_views.TEMPLATE_GLOBALS,
        **documents_views.TEMPLATE_GLOBALS,
        **messages_views.TEMPLATE_GLOBALS,
        **members_views.TEMPLATE_GLOBALS,
        **brokers_views.TEMPLATE_GLOBALS,
        **tax_views.TEMPLATE_GLOBALS,
        **subsidies_views.TEMPLATE_GLOBALS,
        **imports_views.TEMPLATE_GLOBALS,
    )
