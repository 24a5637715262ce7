"""Statistics pages: the dashboard (bureau: the city or any station; reviewers: their own station), table
downloads, the annual tables (page and PDF), the bureau's goals, its supervision of the stations, and the county
assessment (its own blueprint under /bureau/assessment: ranking, targets, PDF report)."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import transaction
from app.auth.permissions import Permission, has_permission, require
from app.domain.catalogue import REFUSAL_GROUNDS
from app.domain.clock import today_local
from app.domain.statistics import FLOWS, GOAL_METRICS, change_percent, share_percent
from app.errors import DomainError, FieldError
from app.extensions import db
from app.i18n import current_language, t
from app.models import Station
from app.stations import lookup as station_lookup
from app.statistics import charts
from app.statistics.services import assessment, dashboard, freeze, goals, stats, stats_export, supervision
from app.statistics.services.annual import render_pdf

bp = Blueprint("stats", __name__, url_prefix="/stats")
assessment_bp = Blueprint("assessment", __name__, url_prefix="/bureau/assessment")
TEN_THOUSAND = Decimal(10000)


def _year() -> int:
    value = request.args.get("year", "")
    if not value:
        return today_local().year
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        abort(404)
    return int(value)


def _station() -> Station | None:
    try:
        return stats.scope_station(current_user, request.args.get("station") or None)
    except DomainError:
        abort(404)


def _items(table: stats.StatsTable, lang: str, names: dict) -> list[charts.Item]:
    dimension = table.group_by[0]
    return [
        charts.Item(
            stats.label(dimension, row.keys[dimension], lang, names),
            row.figures.technical_amount / TEN_THOUSAND,
            row.figures.previous_technical_amount / TEN_THOUSAND,
        )
        for row in table.rows
    ]


def _chart(panel: dashboard.Panel, lang: str, names: dict):
    """The panel's chart of technical amounts in ten-thousand yuan; empty groups are left out of bars."""
    year = panel.table.query.year
    title = panel.spec.title.for_locale(lang)
    legend = (str(year), str(year - 1))
    unit = t("Technical amount, 10,000 yuan")
    items = _items(panel.table, lang, names)
    if panel.spec.chart == "columns":
        return charts.columns(items, title, unit, legend)
    if panel.spec.chart == "share":
        return charts.share(items, title, unit)
    return charts.bars([i for i in items if i.value or i.previous][:20], title, unit, legend)


def _stations_for_choice() -> list[Station]:
    if not has_permission(current_user, Permission.CONTRACT_READ_ALL):
        return []
    return list(db.session.scalars(select(Station).order_by(Station.code)))


@bp.route("")
@require(Permission.STATS_READ)
def dashboard_page():
    """The year at a glance: headline figures, then the first screen's answers (progress against the goals, the
    leading and lagging stations, what is overdue), an index of the tables, and every table with its chart and
    downloads."""
    year, station, lang = _year(), _station(), current_language()
    panels = dashboard.panels_for(year, station)
    head = dashboard.headline(panels)
    progress = goals.progress(goals.goals_for(year, station), head, today_local())
    glance = dashboard.glance(panels, station, today_local())
    names = stats.station_names()
    drawn = [(panel, _chart(panel, lang, names)) for panel in panels]
    return render_template(
        "stats/dashboard.html",
        year=year,
        station=station,
        panels=drawn,
        head=head,
        progress=progress,
        glance=glance,
        names=names,
        stations=_stations_for_choice(),
        lang=lang,
    )


@bp.route("/download")
@require(Permission.STATS_READ)
def download():
    """One table as CSV or XLSX: the same query and the same file as GET /api/v1/stats."""
    fmt = request.args.get("format", "csv")
    if fmt not in stats_export.MEDIA_TYPES or request.args.get("flow", "output") not in FLOWS:
        abort(404)
    table = stats.table_for(
        current_user,
        _year(),
        request.args.get("group_by", "category"),
        request.args.get("flow"),
        request.args.get("station") or None,
    )
    body, media_type, name = stats_export.encode(table, fmt, current_language())
    return Response(body, mimetype=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/annual")
@require(Permission.STATS_READ)
def annual():
    """The annual tables in the national statistics' dimensions, printable; a frozen year's from its snapshot."""
    year, station, lang = _year(), _station(), current_language()
    tables, snapshot = freeze.annual_tables_for(year, station)
    return render_template(
        "stats/annual.html",
        year=year,
        station=station,
        tables=tables,
        snapshot=snapshot,
        names=stats.station_names(),
        stations=_stations_for_choice(),
        lang=lang,
        printing=False,
    )


@bp.route("/annual.pdf")
@require(Permission.STATS_READ)
def annual_pdf():
    """The same annual tables as an A4 PDF."""
    year, station, lang = _year(), _station(), current_language()
    tables, snapshot = freeze.annual_tables_for(year, station)
    html = render_template(
        "stats/annual.html",
        year=year,
        station=station,
        tables=tables,
        snapshot=snapshot,
        names=stats.station_names(),
        stations=[],
        lang=lang,
        printing=True,
    )
    name = f"tcr-annual-{year}{'-' + station.code if station else ''}.pdf"
    return Response(
        render_pdf(html), mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _goals_page(year: int, values: dict | None = None, errors: dict | None = None, status: int = 200):
    city = goals.goals_for(year, None)
    by_station = [(s, goals.goals_for(year, s)) for s in db.session.scalars(select(Station).order_by(Station.code))]
    page = render_template(
        "stats/goals.html",
        year=year,
        city=city,
        by_station=[p for p in by_station if p[1]],
        metrics=GOAL_METRICS,
        stations=_stations_for_choice(),
        values=values or {},
        errors=errors or {},
        lang=current_language(),
    )
    return page, status


@bp.route("/goals")
@require(Permission.GOAL_MANAGE)
def goals_page():
    """The year's goals for the city and for stations, and a form to set one."""
    return _goals_page(_year())


@bp.route("/goals", methods=["POST"])
@require(Permission.GOAL_MANAGE)
def set_goal():
    """Set or replace a goal; errors come back beside their fields."""
    form = request.form
    year = int(form["year"]) if form.get("year", "").isdigit() else None
    station = None
    if form.get("station"):
        station = station_lookup.by_code(form["station"])
        if station is None:
            unknown = FieldError("station.unknown", "station", t("No such station."))
            return _goals_page(year or today_local().year, form, {"station": [unknown]}, 422)
    try:
        goals.set_goal(
            current_user,
            year,
            form.get("metric", ""),
            form.get("target", ""),
            station,
            form.get("note"),
            in_ten_thousands=True,  # the form takes amounts in 万元, as the dashboard shows them
        )
    except DomainError as error:
        transaction.refused(error)
        placed: dict[str, list[FieldError]] = {}
        for item in error.errors or [FieldError(error.code, None, error.detail)]:
            placed.setdefault(item.field or "", []).append(item)
        return _goals_page(year or today_local().year, form, placed, error.status)
    flash(t("The goal is set."), "success")
    return redirect(url_for("stats.goals_page", year=year))


@bp.route("/goals/<int:goal_id>/delete", methods=["POST"])
@require(Permission.GOAL_MANAGE)
def delete_goal(goal_id: int):
    """Remove a goal."""
    try:
        goals.delete_goal(current_user, goal_id)
    except DomainError:
        abort(404)
    flash(t("The goal is removed."), "success")
    return redirect(url_for("stats.goals_page", year=request.form.get("year") or None))


@bp.route("/supervision")
@require(Permission.STATION_SUPERVISE)
def supervision_page():
    """Per station: workload, days to a decision, overdue filings, refusals by ground, amendment requests."""
    year = _year()
    items = supervision.supervise(year)
    overdue = supervision.overdue_filings(limit=20)
    return render_template(
        "stats/supervision.html",
        year=year,
        items=items,
        refusal_grounds=REFUSAL_GROUNDS,
        city=supervision.city_totals(items),
        overdue=overdue,
        lang=current_language(),
    )


def _assessment_page(year: int, printing: bool) -> str:
    result = assessment.assess(year, today_local())
    paths = {
        s.area.code: charts.path(
            [p.cumulative for p in s.path],
            [p.pace for p in s.path] if s.target else None,
            [p.previous_cumulative for p in s.path],
            t("%(county)s: cumulative contract amount by month", county=s.area.name),
        )
        for s in result.standings
    }
    return render_template(
        "stats/assessment.html",
        year=year,
        result=result,
        paths=paths,
        printing=printing,
        today=today_local(),
        lang=current_language(),
    )


@assessment_bp.route("")
@require(Permission.GOAL_MANAGE)
def assessment_page():
    """The counties ranked by the growth of their contract amount, met or missed, and their monthly paths."""
    return _assessment_page(_year(), printing=False)


@assessment_bp.route("/report.pdf")
@require(Permission.GOAL_MANAGE)
def assessment_pdf():
    """The same assessment as an A4 PDF report for the leadership."""
    year = _year()
    html = _assessment_page(year, printing=True)
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="tcr-county-assessment-{year}.pdf"'},
    )


def _targets_page(year: int, values: dict | None = None, errors: dict | None = None, status: int = 200):
    targets = assessment.targets_for(year)
    if values is None:  # the stored targets, amounts in 万元 as the form takes them
        values = {}
        for code, target in targets.items():
            values[f"{code}-growth_rate"] = f"{target.growth_rate:.2f}"
            if target.target_amount is not None:
                values[f"{code}-target_amount"] = wan(target.target_amount).replace(",", "")
    page = render_template(
        "stats/assessment_targets.html",
        year=year,
        counties=assessment.counties(),
        targets=targets,
        values=values,
        errors=errors or {},
        lang=current_language(),
    )
    return page, status


@assessment_bp.route("/targets")
@require(Permission.GOAL_MANAGE)
def targets_page():
    """A form with every county of a year: target growth rate and, optionally, an amount."""
    return _targets_page(_year())


@assessment_bp.route("/targets", methods=["POST"])
@require(Permission.GOAL_MANAGE)
def set_targets():
    """Save the year's county targets at once; errors come back beside their fields, nothing is saved."""
    form = request.form
    year = int(form["year"]) if form.get("year", "").isdigit() else None
    rows = {
        county.code: {
            "growth_rate": form.get(f"{county.code}-growth_rate", ""),
            "target_amount": form.get(f"{county.code}-target_amount", ""),
        }
        for county in assessment.counties()
    }
    try:
        changed = assessment.set_targets(current_user, year, rows, in_ten_thousands=True)
    except DomainError as error:
        transaction.refused(error)
        placed: dict[str, list[FieldError]] = {}
        for item in error.errors or [FieldError(error.code, None, error.detail)]:
            placed.setdefault((item.field or "").replace(".", "-"), []).append(item)
        return _targets_page(year or today_local().year, form, placed, error.status)
    flash(t("County targets saved (%(count)s changed).", count=changed), "success")
    return redirect(url_for("assessment.assessment_page", year=year))


def _growth(value) -> str:
    return "—" if value is None else f"{value:+.2f}%"


def wan(value) -> str:
    """Yuan as ten-thousand yuan (万元) with two decimals: 1,250,000.00 → "125.00"."""
    if value is None:
        return "—"
    return f"{(Decimal(value) / TEN_THOUSAND).quantize(Decimal('0.01')):,.2f}"


def _goal_value(metric, value: Decimal) -> str:
    return t("%(amount)s (10,000 yuan)", amount=wan(value)) if metric.money else f"{int(value):,}"


def _share(part, whole) -> str:
    value = share_percent(part, whole)
    return "—" if value is None else f"{value}%"


def _stat_dimension(name: str) -> str:
    return stats.DIMENSIONS[name].label.for_locale(current_language())


def _stat_label(dimension: str, code, names) -> str:
    return stats.label(dimension, code, current_language(), names)


# Helpers the statistics templates (and their macros) share (installed by the factory)
TEMPLATE_FILTERS = {"wan": wan}
TEMPLATE_GLOBALS = {
    "growth_of": _growth,
    "stat_dimension": _stat_dimension,
    "stat_label": _stat_label,
    "change_of": change_percent,
    "goal_value": _goal_value,
    "today_year_of": lambda: today_local().year,
    "share_of": _share,
    "today_iso": lambda: today_local().isoformat(),
}
