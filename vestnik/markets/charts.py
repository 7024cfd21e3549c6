"""An inline SVG line chart of a rate's history: computed here, drawn by the template, no JavaScript."""

from dataclasses import dataclass
from decimal import Decimal

from .formatting import number_format

WIDTH, HEIGHT, PAD = 640, 220, 24


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str  # "x,y x,y …" for <polyline>
    low: str  # «94,87», for the axis labels
    high: str
    first_x: float
    last_x: float
    last_y: float


def chart_build(values: list[Decimal]) -> Chart | None:
    """Scale the values into the SVG box (higher rate, higher line); None for fewer than two points."""
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    coords = [
        (PAD + i * step, PAD + float((high - v) / span) * (HEIGHT - 2 * PAD))
        for i, v in enumerate(values)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
        low=number_format(low),
        high=number_format(high),
        first_x=coords[0][0],
        last_x=coords[-1][0],
        last_y=coords[-1][1],
    )
