"""Charts drawn server-side as inline SVG (no scripts, no CDN): bars for scores and counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

PALETTE = ("#2b6cb0", "#2f855a", "#b7791f", "#c53030", "#6b46c1", "#2c7a7b", "#975a16", "#4a5568")
BAR_HEIGHT = 26
LABEL_WIDTH = 150


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def dimension_bars(dimensions: Sequence[dict[str, Any]], width: int = 560) -> Markup:
    """One horizontal bar per dimension: its score (0-100+, a tick at 100), and its weight."""
    scores = [_num(d.get("score")) or 0.0 for d in dimensions]
    top = max([100.0, *scores])
    plot = width - LABEL_WIDTH - 90
    height = BAR_HEIGHT * len(dimensions) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart dimension-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, dim in enumerate(dimensions):
        y = 4 + i * BAR_HEIGHT
        score = _num(dim.get("score"))
        bar = 0 if score is None else max(0.0, score) / top * plot
        color = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" font-size="12" fill="#222">'
            f"{escape(dim.get('name') or dim.get('key'))}</text>"
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{plot}" height="{BAR_HEIGHT - 8}" fill="#edf2f7"/>'
        )
        parts.append(
            f'<rect class="bar" data-key="{escape(dim.get("key"))}" x="{LABEL_WIDTH}" y="{y + 3}" '
            f'width="{bar:.1f}" height="{BAR_HEIGHT - 8}" fill="{color}"/>'
        )
        label = "—" if score is None else _fmt(score)
        weight = _num(dim.get("weight"))
        suffix = f" · {_fmt(weight)}%" if weight is not None else ""
        parts.append(
            f'<text x="{LABEL_WIDTH + plot + 6}" y="{y + 16}" font-size="12" fill="#222">{label}{suffix}</text>'
        )
    mark = LABEL_WIDTH + 100 / top * plot
    parts.append(
        f'<line x1="{mark:.1f}" y1="0" x2="{mark:.1f}" y2="{height - 18}" stroke="#718096" stroke-dasharray="3,3"/>'
    )
    parts.append(
        f'<text x="{mark:.1f}" y="{height - 4}" font-size="10" text-anchor="middle" fill="#718096">100</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_bars(
    bars: Sequence[tuple[str, float]], width: int = 560, height: int = 240, unit: str = ""
) -> Markup:
    """Vertical bars with a label under each and its value above (counts, shares)."""
    n = max(len(bars), 1)
    top = max([b[1] for b in bars] + [1.0])
    plot_h = height - 50
    slot = (width - 20) / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart column-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<line x1="10" y1="{plot_h + 10}" x2="{width - 10}" y2="{plot_h + 10}" stroke="#a0aec0"/>',
    ]
    for i, (label, value) in enumerate(bars):
        h = value / top * (plot_h - 10)
        x = 10 + i * slot + slot * 0.15
        w = slot * 0.7
        y = plot_h + 10 - h
        parts.append(
            f'<rect class="bar" data-label="{escape(label)}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
            f'height="{h:.1f}" fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{y - 4:.1f}" font-size="12" text-anchor="middle" fill="#222">'
            f"{_fmt(value)}{escape(unit)}</text>"
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{plot_h + 28}" font-size="12" text-anchor="middle" fill="#222">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def tracking_bars(
    rows: Sequence[dict[str, Any]], bands: Sequence[dict[str, Any]], width: int = 640
) -> Markup:
    """One horizontal bar per employee: the projected total, with a dashed line at each
    rating band's lower limit (labelled), at-risk employees in red."""
    totals = [_num(r.get("total")) or 0.0 for r in rows]
    limits = [(str(b.get("label") or b.get("key")), _num(b.get("min")) or 0.0) for b in bands]
    top = max([100.0, *totals, *(m for _, m in limits)])
    plot = width - LABEL_WIDTH - 60
    height = BAR_HEIGHT * len(rows) + 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart tracking-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, row in enumerate(rows):
        y = 18 + i * BAR_HEIGHT
        total = totals[i]
        color = PALETTE[3] if row.get("at_risk") else PALETTE[0]
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" font-size="12" fill="#222">'
            f"{escape(row.get('employee_id'))}</text>"
        )
        parts.append(
            f'<rect class="bar" data-employee="{escape(row.get("employee_id"))}" '
            f'x="{LABEL_WIDTH}" y="{y + 3}" width="{max(0.0, total) / top * plot:.1f}" '
            f'height="{BAR_HEIGHT - 8}" fill="{color}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + max(0.0, total) / top * plot + 4:.1f}" y="{y + 16}" '
            f'font-size="11" fill="#222">{_fmt(total)}</text>'
        )
    for label, minimum in limits:
        if minimum <= 0:
            continue
        x = LABEL_WIDTH + minimum / top * plot
        parts.append(
            f'<line class="band-limit" x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{height - 4}" '
            f'stroke="#718096" stroke-dasharray="3,3"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="11" font-size="10" text-anchor="middle" fill="#4a5568">'
            f"{escape(label)} {_fmt(minimum)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
