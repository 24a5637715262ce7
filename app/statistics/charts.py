"""Charts drawn on the server as inline SVG: nothing to download, nothing from a CDN, readable when printed.

Four shapes: horizontal bars (this year's value, with last year's as a tick), monthly columns (this year beside
last year), one stacked bar of shares, and a small cumulative path against an even pace (the county assessment). Each carries a <title> and an aria-label; the table beside it holds
the exact figures. Amounts become floats only as drawing coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

PALETTE = ("#1f5fa8", "#d9822b", "#3a9b5c", "#b5403a", "#7b5ea7", "#2a9bb0", "#a3a13a", "#8c6d4f")
CURRENT, PREVIOUS = "#1f5fa8", "#b9c7d8"
WIDTH = 640


@dataclass(frozen=True)
class Item:
    """One bar: its name, this year's value and last year's."""

    label: str
    value: Decimal
    previous: Decimal = Decimal(0)


def _fmt(value: Decimal) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _svg(height: int, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="tcr-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="12">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bars(items: list[Item], title: str, unit: str, legend: tuple[str, str]) -> Markup:
    """Horizontal bars, largest scale = the largest value of either year; last year's value as a dark tick."""
    row, label_width, right = 24, 190, 90
    scale = max([i.value for i in items] + [i.previous for i in items] + [Decimal(0)])
    span = WIDTH - label_width - right
    body = [_legend(legend, 0, tick=True), f'<text x="0" y="13" fill="#777" font-size="11">{escape(unit)}</text>']
    top = 22
    for index, item in enumerate(items):
        y = top + index * row
        width = float(item.value / scale * span) if scale else 0
        body.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" fill="#333">'
            f"{escape(_truncate(item.label, 15))}</text>"
        )
        body.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{width:.1f}" height="{row - 8}" rx="2" '
            f'fill="{CURRENT}"><title>{escape(item.label)}: {_fmt(item.value)} {escape(unit)}</title></rect>'
        )
        end = label_width + width
        if item.previous and scale:
            tick = label_width + float(item.previous / scale * span)
            body.append(
                f'<line x1="{tick:.1f}" x2="{tick:.1f}" y1="{y + 1}" y2="{y + row - 1}" stroke="#333" '
                f'stroke-width="2"><title>{escape(legend[1])}: {_fmt(item.previous)}</title></line>'
            )
            end = max(end, tick)  # the figure goes after whichever reaches further
        body.append(f'<text x="{end + 6:.1f}" y="{y + 15}" fill="#555">{_fmt(item.value)}</text>')
    return _svg(top + len(items) * row + 6, title, body)


def columns(items: list[Item], title: str, unit: str, legend: tuple[str, str]) -> Markup:
    """Grouped columns (this year, last year) with a light grid of four steps."""
    height, left, bottom, top = 240, 56, 26, 26
    plot = height - bottom - top
    scale = max([i.value for i in items] + [i.previous for i in items] + [Decimal(0)])
    slot = (WIDTH - left - 8) / max(len(items), 1)
    body = [_legend(legend, 0)]
    for step in range(5):
        y = top + plot - plot * step / 4
        value = scale * step / 4
        body.append(f'<line x1="{left}" x2="{WIDTH - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e7ee"/>')
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#777" font-size="10">{_fmt(value)}</text>'
        )
    for index, item in enumerate(items):
        x = left + index * slot
        for offset, (value, colour, name) in enumerate(
            ((item.value, CURRENT, legend[0]), (item.previous, PREVIOUS, legend[1]))
        ):
            h = float(value / scale * plot) if scale else 0
            body.append(
                f'<rect x="{x + slot * (0.14 + 0.36 * offset):.1f}" y="{top + plot - h:.1f}" '
                f'width="{slot * 0.34:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(item.label)} {escape(name)}: {_fmt(value)} {escape(unit)}</title></rect>"
            )
        body.append(
            f'<text x="{x + slot / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="#333">'
            f"{escape(item.label)}</text>"
        )
    body.append(f'<text x="4" y="{top - 8}" fill="#777" font-size="11">{escape(unit)}</text>')
    return _svg(height, title, body)


def share(items: list[Item], title: str, unit: str) -> Markup:
    """One stacked bar of shares (this year), with a legend giving each part's value and per cent."""
    total = sum((i.value for i in items), Decimal(0))
    parts = [i for i in items if i.value > 0]
    body, x = [], 0.0
    for index, item in enumerate(parts):
        width = float(item.value / total * WIDTH) if total else 0
        body.append(
            f'<rect x="{x:.1f}" y="4" width="{width:.1f}" height="28" fill="{PALETTE[index % 8]}">'
            f"<title>{escape(item.label)}: {_fmt(item.value)} {escape(unit)}</title></rect>"
        )
        x += width
    rows = (len(parts) + 2) // 3
    for index, item in enumerate(parts):
        lx, ly = (index % 3) * (WIDTH / 3), 50 + (index // 3) * 20
        percent = (item.value * 100 / total).quantize(Decimal("0.1")) if total else Decimal(0)
        body.append(f'<rect x="{lx:.1f}" y="{ly - 10}" width="11" height="11" fill="{PALETTE[index % 8]}"/>')
        body.append(
            f'<text x="{lx + 16:.1f}" y="{ly}" fill="#333">{escape(_truncate(item.label, 10))} {percent}%</text>'
        )
    if not parts:
        body.append(f'<rect x="0" y="4" width="{WIDTH}" height="28" fill="#eef1f5"/>')
    return _svg(50 + max(rows, 1) * 20, title, body)


def path(actual: list[Decimal | None], pace: list[Decimal] | None, previous: list[Decimal], title: str) -> Markup:
    """A small chart of a year month by month: the cumulative amount (solid, up to the last month gone by), last
    year's (light) and the even pace towards the target (dashed), on one scale."""
    width, height, pad = 180, 48, 3
    values = [v for v in actual if v is not None] + list(previous) + list(pace or [])
    scale = max(values + [Decimal(0)])

    def points(series) -> str:
        step = (width - 2 * pad) / 11
        return " ".join(
            f"{pad + i * step:.1f},{height - pad - (float(v / scale) * (height - 2 * pad) if scale else 0):.1f}"
            for i, v in enumerate(series)
            if v is not None
        )

    lines = [f'<polyline points="{points(previous)}" fill="none" stroke="{PREVIOUS}" stroke-width="1.5"/>']
    if pace:
        lines.append(
            f'<polyline points="{points(pace)}" fill="none" stroke="#d9822b" stroke-width="1.5" '
            'stroke-dasharray="4 3"/>'
        )
    if any(v is not None for v in actual):
        lines.append(f'<polyline points="{points(actual)}" fill="none" stroke="{CURRENT}" stroke-width="2"/>')
    return Markup(
        f'<svg class="tcr-path" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f"{''.join(lines)}</svg>"
    )


def _legend(names: tuple[str, str], y: int, tick: bool = False) -> str:
    """This year as a filled square; last year as a light square, or as the tick that bars draw it with."""
    previous = (
        f'<line x1="{WIDTH - 120}" x2="{WIDTH - 120}" y1="{y + 1}" y2="{y + 16}" stroke="#333" stroke-width="2"/>'
        if tick
        else f'<rect x="{WIDTH - 125}" y="{y + 3}" width="11" height="11" fill="{PREVIOUS}"/>'
    )
    return (
        f'<rect x="{WIDTH - 250}" y="{y + 3}" width="11" height="11" fill="{CURRENT}"/>'
        f'<text x="{WIDTH - 234}" y="{y + 13}" fill="#333">{escape(names[0])}</text>{previous}'
        f'<text x="{WIDTH - 109}" y="{y + 13}" fill="#333">{escape(names[1])}</text>'
    )


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
