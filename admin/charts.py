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
