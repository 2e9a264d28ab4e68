"""Server-side SVG: the region choropleth, bar charts and trade time series.

Every label that could come from an article goes through :func:`esc`; the functions return
:class:`markupsafe.Markup` so templates insert them as they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

__all__ = ["esc", "choropleth", "bars", "line_chart", "period_x", "fmt_num", "PALETTE"]

#: Light to dark (sequential, colour-blind safe blues); index 0 is "no projects".
PALETTE = ("#eef2f6", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
SERIES = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def esc(value: Any) -> str:
    return str(escape("" if value is None else str(value)))


def fmt_num(value: Any) -> str:
    """Compact human number: 2 400 000 000 -> '2.4 bn'."""
    if value is None:
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    for size, unit in ((1e12, "tn"), (1e9, "bn"), (1e6, "mn"), (1e3, "k")):
        if abs(x) >= size:
            return f"{x / size:.3g} {unit}"
    return f"{x:g}"


def _classes(values: Sequence[float], n: int) -> list[float]:
    """Upper bounds of ``n`` classes (equal steps on a square-root scale, robust to one big region)."""
    top = max(values) if values else 0
    if top <= 0:
        return [0.0] * n
    return [(top * ((i + 1) / n) ** 2) for i in range(n)]


def choropleth(
    grid: Mapping[str, Any],
    values: Mapping[str, float],
    *,
    metric_label: str,
    link: str = "/projects?region=",
    cell: int = 44,
    details: Mapping[str, str] | None = None,
) -> Markup:
    """The tile-grid map: one square per region, shaded by ``values[code]``."""
    feats = grid["features"]
    cols = max(f["properties"]["col"] for f in feats) + 1
    rows = max(f["properties"]["row"] for f in feats) + 1
    bounds = _classes([v for v in values.values() if v], len(PALETTE) - 1)
    w, h = cols * cell, rows * cell + 40
    out = [
        f'<svg class="map" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="Russian regions by {esc(metric_label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for f in feats:
        p = f["properties"]
        code = p["code"]
        v = values.get(code, 0) or 0
        k = 0 if v <= 0 else 1 + next((i for i, b in enumerate(bounds) if v <= b), len(bounds) - 1)
        x, y = p["col"] * cell, p["row"] * cell
        tip = f"{p['name']} ({code}): {fmt_num(v)} {metric_label}"
        if details and code in details:
            tip += f"; {details[code]}"
        text_fill = "#fff" if k >= 4 else "#222"
        out.append(
            f'<a href="{esc(link + quote(code))}" class="region" data-code="{esc(code)}" data-value="{v:g}">'
            f"<title>{esc(tip)}</title>"
            f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" rx="4" fill="{PALETTE[k]}"'
            f' stroke="#8a9bb0" stroke-width="0.6"/>'
            f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" font-size="10"'
            f' fill="{text_fill}">{esc(code[3:])}</text></a>'
        )
    # legend
    ly = rows * cell + 12
    lo = 0.0
    for i, color in enumerate(PALETTE):
        x = i * 92
        if i == 0:
            label = "none"
        else:
            hi = bounds[i - 1]
            label = f"≤ {fmt_num(hi)}" if hi > lo else ""
            lo = hi
        out.append(
            f'<rect x="{x}" y="{ly}" width="16" height="16" fill="{color}" stroke="#8a9bb0" stroke-width="0.6"/>'
        )
        out.append(f'<text x="{x + 20}" y="{ly + 12}" font-size="11">{esc(label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def bars(items: Sequence[tuple[str, float, str | None]], *, width: int = 420, row: int = 22) -> Markup:
    """Horizontal bars: (label, value, link or None)."""
    if not items:
        return Markup('<p class="muted">No data.</p>')
    top = max(v for _, v, _ in items) or 1
    label_w = 170
    h = row * len(items) + 4
    out = [
        f'<svg class="bars" viewBox="0 0 {width} {h}" width="{width}" height="{h}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, value, href) in enumerate(items):
        y = i * row + 2
        bw = max(1.0, (width - label_w - 60) * value / top)
        short = label if len(label) <= 26 else label[:25] + "…"
        bar = (
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="12"><title>{esc(label)}</title>{esc(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bw:.1f}" height="{row - 7}" fill="#3182bd"/>'
            f'<text x="{label_w + bw + 4:.1f}" y="{y + 14}" font-size="11">{esc(fmt_num(value))}</text>'
        )
        out.append(f'<a href="{esc(href)}">{bar}</a>' if href else bar)
    out.append("</svg>")
    return Markup("".join(out))


_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}|H[12]|Q[1-4]))?")


def period_x(period: str) -> float | None:
    """A period as a fractional year at its middle: '2024' -> 2024.5, '2024-H1' -> 2024.25.

    >>> period_x("2023"), period_x("2024-H1"), period_x("2024-Q3"), period_x("2024-03")
    (2023.5, 2024.25, 2024.625, 2024.208)
    """
    m = _PERIOD.match(period or "")
    if not m:
        return None
    year, part = int(m[1]), m[2]
    if part is None:
        return year + 0.5
    if part.startswith("H"):
        return year + (0.25 if part == "H1" else 0.75)
    if part.startswith("Q"):
        return year + (int(part[1]) - 0.5) / 4
    return round(year + (int(part) - 0.5) / 12, 3)


def line_chart(series: Sequence[Mapping[str, Any]], *, width: int = 640, height: int = 260) -> Markup:
    """Time series of trade values: one line per series (``label``, ``points`` of period/value)."""
    pts_all = [
        (period_x(p["period"]), p["value"])
        for s in series
        for p in s["points"]
        if period_x(p["period"]) is not None
    ]
    if not pts_all:
        return Markup('<p class="muted">No trade figures with a period and a value.</p>')
    xs = [x for x, _ in pts_all if x is not None]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    if x1 == x0:
        x1 = x0 + 1
    y1 = max(v for _, v in pts_all) * 1.1 or 1
    ml, mr, mt, mb = 64, 16, 12, 28
    pw, ph = width - ml - mr, height - mt - mb

    def sx(x: float) -> float:
        return ml + (x - x0) / (x1 - x0) * pw

    def sy(y: float) -> float:
        return mt + ph - y / y1 * ph

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i in range(5):
        yv = y1 * i / 4
        y = sy(yv)
        out.append(f'<line x1="{ml}" x2="{width - mr}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e7ec"/>')
        out.append(
            f'<text x="{ml - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{esc(fmt_num(yv))}</text>'
        )
    for year in range(x0, x1 + 1):
        x = sx(year)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{mt}" y2="{mt + ph}" stroke="#f0f2f5"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" font-size="11">{year}</text>')
    for i, s in enumerate(series):
        color = SERIES[i % len(SERIES)]
        pts = sorted((period_x(p["period"]), p) for p in s["points"] if period_x(p["period"]) is not None)
        if len(pts) > 1:
            path = " ".join(f"{sx(x):.1f},{sy(p['value']):.1f}" for x, p in pts if x is not None)
            out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for px, p in pts:
            if px is None:
                continue
            tip = f"{s.get('label', '')} {p['period']}: {fmt_num(p['value'])} {s.get('currency') or ''}"
            out.append(
                f'<a href="/trade/{esc(str(p["record"]).split(":")[-1])}"><circle cx="{sx(px):.1f}" cy="{sy(p["value"]):.1f}" r="4" '
                f'fill="{color}"><title>{esc(tip)}</title></circle></a>'
            )
    out.append("</svg>")
    legend = "".join(
        f'<span class="legend-item"><svg width="12" height="12"><rect width="12" height="12" fill="{SERIES[i % len(SERIES)]}"/></svg> '
        f"{esc(s.get('label', ''))}</span>"
        for i, s in enumerate(series)
    )
    return Markup("".join(out) + f'<div class="legend">{legend}</div>')
