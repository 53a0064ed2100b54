"""A target the run judges, with what was measured."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    met: bool | None
    """None: not measured (or, for the soak, not judged) in this run."""
