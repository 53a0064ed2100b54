"""The sweep's samples, summarised per path and size, with each path's ratio to the floor."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from bench.layers import FLOOR, Sweep
from bench.measure import SIZES, Sample, Spread, expected_tokens, spread


@dataclass(frozen=True)
class LayerRow:
    path: str
    size: int
    tokens: int
    """Tokens the offline model actually answers for ``count to size``."""
    first_ms: Spread | None
    last_ms: Spread | None
    end_ms: Spread | None
    meta_ms: Spread | None
    tokens_per_s: Spread | None
    first_x_floor: float | None
    """This path's median first-token time divided by the floor's."""
    rate_x_floor: float | None
    """This path's median tokens/s divided by the floor's."""
    server_cpu_ms: Spread | None
    client_cpu_ms: Spread | None
    errors: int
    first_error: str | None


def _ratio(value: Spread | None, floor: Spread | None) -> float | None:
    if value is None or floor is None or not floor.median:
        return None
    return value.median / floor.median


def _row(path: str, size: int, samples: list[Sample], floor: list[Sample]) -> LayerRow:
    errors = [s.error for s in samples if s.error]
    first, rate = spread(samples, "first", 1000), spread(samples, "rate")
    return LayerRow(
        path=path,
        size=size,
        tokens=len(expected_tokens(size)),
        first_ms=first,
        last_ms=spread(samples, "last", 1000),
        end_ms=spread(samples, "end", 1000),
        meta_ms=spread(samples, "meta", 1000),
        tokens_per_s=rate,
        first_x_floor=_ratio(first, spread(floor, "first", 1000)),
        rate_x_floor=_ratio(rate, spread(floor, "rate")),
        server_cpu_ms=spread(samples, "server_cpu", 1000),
        client_cpu_ms=spread(samples, "client_cpu", 1000),
        errors=len(errors),
        first_error=errors[0] if errors else None,
    )


def rows(sweep: Sweep) -> list[LayerRow]:
    return [
        _row(path, size, samples, sweep[FLOOR][size])
        for path, by_size in sweep.items()
        for size, samples in by_size.items()
    ]


def find(table: list[LayerRow], path: str, size: int) -> LayerRow | None:
    return next((r for r in table if r.path == path and r.size == size), None)


def per_token_us(sweep: Sweep) -> dict[str, float | None]:
    """Marginal cost of one more token event on each path: the slope of the time to the last
    token between the smallest and the largest answer (fixed costs cancel out)."""
    small, large = SIZES[0], SIZES[-1]
    extra = len(expected_tokens(large)) - len(expected_tokens(small))
    slopes: dict[str, float | None] = {}
    for path, by_size in sweep.items():
        lasts = [
            [s.last for s in by_size[size] if s.error is None and s.last is not None]
            for size in (small, large)
        ]
        slopes[path] = (
            (statistics.median(lasts[1]) - statistics.median(lasts[0])) / extra * 1e6
            if all(lasts) and extra > 0
            else None
        )
    return slopes
