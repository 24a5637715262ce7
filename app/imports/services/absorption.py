"""The bureau's absorption figures: the amounts absorbed by Handan buyers, by source registry and by the buyer's
county, and the plan's "Beijing R&D, Handan transfer" (京津研发、邯郸转化) figure, each one aggregate query over
the union of the local registry's facts and the imported registrations."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, literal_column, select

from app.domain import areas
from app.domain.absorption import HOME_CITY_PREFIX, LOCAL_SOURCE, SOURCES
from app.domain.statistics import COUNTED_STATUS, cents_to_yuan
from app.extensions import db
from app.imports.services.registrations import require_importer
from app.statistics.services import absorbed
from app.statistics.services.stats import Figures

SERIES_YEARS = 5  # the Beijing/Tianjin figure for the year and the four before it


@dataclass
class Absorption:
    """A year's absorption by Handan buyers: per source, per county (each county per source), and the
    Beijing/Tianjin figure per year (the last SERIES_YEARS years, oldest first)."""

    year: int
    by_source: dict[str, Figures] = field(default_factory=dict)
    by_county: dict[str, dict[str, Figures]] = field(default_factory=dict)
    total: Figures = field(default_factory=Figures)
    beijing_tianjin: dict[int, Figures] = field(default_factory=dict)

    @property
    def imported(self) -> Figures:
        """What the imports add to the local registry's figures."""
        figures = Figures()
        for source, source_figures in self.by_source.items():
            if source != LOCAL_SOURCE:
                figures.add(source_figures)
        return figures


def _figures(count, amount, technical) -> Figures:
    return Figures(int(count), cents_to_yuan(amount), cents_to_yuan(technical))


def _sums(union):
    zero = literal_column("0")
    return (
        func.count(),
        func.coalesce(func.sum(union.c.amount_cents), zero),
        func.coalesce(func.sum(union.c.technical_amount_cents), zero),
    )


def figures(actor, year: int) -> Absorption:
    """The year's absorption by Handan buyers (two queries: county × source, and the Beijing/Tianjin series)."""
    require_importer(actor)
    union = absorbed.union()
    home = union.c.buyer_area.like(HOME_CITY_PREFIX + "%")
    counted = union.c.status == COUNTED_STATUS
    result = Absorption(year, {source: Figures() for source in SOURCES})
    statement = (
        select(union.c.buyer_area, union.c.source, *_sums(union))
        .where(counted, home, union.c.registered_year == year)
        .group_by(union.c.buyer_area, union.c.source)
    )
    for area, source, *sums in db.session.execute(statement):
        found = _figures(*sums)
        result.by_source.setdefault(source, Figures()).add(found)
        result.by_county.setdefault(area, {}).setdefault(source, Figures()).add(found)
        result.total.add(found)
    result.beijing_tianjin = _beijing_tianjin(union, year, home, counted)
    return result


def _beijing_tianjin(union, year: int, home, counted) -> dict[int, Figures]:
    """Imported registrations with a Beijing or Tianjin seller and a Handan buyer, per year."""
    first = year - SERIES_YEARS + 1
    statement = (
        select(union.c.registered_year, *_sums(union))
        .where(
            counted,
            home,
            union.c.source != LOCAL_SOURCE,
            union.c.seller_region.in_(("beijing", "tianjin")),
            union.c.registered_year.between(first, year),
        )
        .group_by(union.c.registered_year)
    )
    series = {y: Figures() for y in range(first, year + 1)}
    for found_year, *sums in db.session.execute(statement):
        series[int(found_year)] = _figures(*sums)
    return series


def county_name(code: str | None) -> str:
    """A Handan county's name (its code when unknown)."""
    found = areas.area(code) if code else None
    return found.name if found else (code or "")


def _plain(figures: Figures) -> dict:
    return {"count": figures.count, "amount": figures.amount, "technical_amount": figures.technical_amount}


def document(result: Absorption, lang: str) -> dict:
    """The figures as the API answers them: sources in display order, counties by code, years oldest first."""
    return {
        "year": result.year,
        "total": _plain(result.total),
        "imported": _plain(result.imported),
        "by_source": [
            {"source": source, "label": SOURCES[source].for_locale(lang), **_plain(figures)}
            for source, figures in result.by_source.items()
            if source in SOURCES
        ],
        "by_county": [
            {
                "area_code": code,
                "name": county_name(code),
                **_plain(county_total(by_source)),
                "by_source": {source: _plain(figures) for source, figures in by_source.items()},
            }
            for code, by_source in sorted(result.by_county.items())
        ],
        "beijing_tianjin": _plain(result.beijing_tianjin[result.year]),
        "beijing_tianjin_by_year": [
            {"year": year, **_plain(figures)} for year, figures in sorted(result.beijing_tianjin.items())
        ],
    }


def county_total(by_source: dict[str, Figures]) -> Figures:
    total = Figures()
    for figures in by_source.values():
        total.add(figures)
    return total
