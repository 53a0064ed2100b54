"""Markdown pieces shared by the report's sections."""

from __future__ import annotations

from bench.measure import Spread


def fmt(value: Spread | None, digits: int = 1) -> str:
    """``median (min–max)``; the median alone for a single run."""
    if value is None:
        return "—"
    if value.n == 1:
        return f"{value.median:,.{digits}f}"
    return f"{value.median:,.{digits}f} ({value.low:,.{digits}f}–{value.high:,.{digits}f})"


def times(ratio: float | None) -> str:
    return f"×{ratio:.2f}" if ratio is not None else "—"


def table(header: list[str], body: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in body),
        "",
    ]
