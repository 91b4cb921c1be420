"""What the organizers' charts (`/stats`, `/impact`) share: matplotlib imported at the first
chart, grouped bars with their counts, and the PNG.

matplotlib is imported here, not at the top of a module: it takes most of a second, which every
start (and every restart after a crash) would pay before answering anyone
(tests/bot/test_startup_imports.py)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def pyplot() -> ModuleType:
    import matplotlib

    matplotlib.use("Agg")  # no display: render to memory only
    import matplotlib.pyplot as plt

    return plt


def grouped_bars(
    axes: Axes, series: Sequence[tuple[str, str, Sequence[int]]], count: int
) -> list[int]:
    """At each of `count` positions, one bar per series (label, colour, a value per position)
    side by side, each bar labelled with its value (nothing for 0); the positions."""
    width = 0.8 / len(series)
    positions = list(range(count))
    for index, (label, colour, values) in enumerate(series):
        offset = (index - (len(series) - 1) / 2) * width
        bars = axes.bar([p + offset for p in positions], values, width, label=label, color=colour)
        axes.bar_label(
            bars, [str(value) if value else "" for value in values], fontsize=8, padding=2
        )
    return positions


def png(figure: Figure) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()
