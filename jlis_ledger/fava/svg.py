"""The trend as an inline SVG stacked bar chart: one bar per fiscal year, one colour per business.

Plain SVG text built from the figures (no script, no external assets), so it
renders the same in Fava, in a saved page and in a screenshot.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from jlis_ledger.fava.numbers import units
from jlis_ledger.trend import Trend, era

#: Colour-blind-friendly palette (Okabe–Ito, then Tol's muted), one per business in declaration order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#882255",
           "#44AA99", "#999933", "#AA4499", "#332288"]

WIDTH, HEIGHT = 960, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 250, 20, 50


def _nice_step(top: float) -> float:
    raw = top / 5 or 1
    magnitude = 10 ** len(str(int(raw))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def stacked_bars(trend: Trend) -> str:
    """The SVG markup (a ``<svg>`` element with a ``<title>``)."""
    places = trend.measure.places
    totals = trend.totals()
    top = float(max(totals, default=Decimal(0))) or 1.0
    step = _nice_step(top)
    ticks = int(top // step) + 1
    y_max = ticks * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(trend.years), 1)
    bar = slot * 0.62

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / y_max

    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="jlis-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="{WIDTH}" height="{HEIGHT}" role="img" font-size="12">'),
           f"<title>{escape(trend.measure.title)}（単位: {escape(trend.measure.unit)}）</title>"]
    for i in range(ticks + 1):
        value = i * step
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#555">{value:,.0f}</text>')
    out.append(f'<text x="{LEFT - 6}" y="{TOP - 6}" text-anchor="end" fill="#555">{escape(trend.measure.unit)}</text>')
    for j, year in enumerate(trend.years):
        x = LEFT + j * slot + (slot - bar) / 2
        base = 0.0
        for k, series in enumerate(trend.series):
            cell = series.cells[j]
            if not cell.value:
                continue
            height = float(cell.value)
            tip = f"{era(year)} {series.name}: {units(cell.value, places)} {trend.measure.unit}（{cell.origin}）"
            out.append(f'<rect x="{x:.1f}" y="{y(base + height):.1f}" width="{bar:.1f}" '
                       f'height="{y(base) - y(base + height):.1f}" fill="{PALETTE[k % len(PALETTE)]}">'
                       f"<title>{escape(tip)}</title></rect>")
            base += height
        label = era(year) + ("*" if year in trend.booked_years else "")
        out.append(f'<text x="{x + bar / 2:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{escape(label)}</text>')
        out.append(f'<text x="{x + bar / 2:.1f}" y="{y(float(totals[j])) - 4:.1f}" text-anchor="middle" '
                   f'fill="#333">{units(totals[j], places)}</text>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#333"/>')
    legend_x = LEFT + plot_w + 20
    for k, series in enumerate(reversed(trend.series)):
        index = len(trend.series) - 1 - k
        ly = TOP + 10 + k * 22
        out.append(f'<rect x="{legend_x}" y="{ly - 10}" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>')
        out.append(f'<text x="{legend_x + 18}" y="{ly}">{escape(series.name)}</text>')
    if trend.booked_years:
        out.append(f'<text x="{LEFT}" y="{HEIGHT - 8}" fill="#555">* 帳簿から計算した年度（その他は公表値）</text>')
    out.append("</svg>")
    return "".join(out)
