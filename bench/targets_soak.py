"""Issue 24's targets, judged from the soak section (what they mean: docs/benchmarks.md).

A quick run grows a smaller thread: its figures are shown, not judged against targets set for
``SOAK_TURNS`` turns.
"""

from __future__ import annotations

from bench.soak import SoakResult
from bench.target import Target

SOAK_TURNS = 200
LOAD_MS = 1500.0
LOAD_BYTES = 2_000_000
REPLY_BYTES = 1_000_000
SEND_MS = 300.0
GAP_MS = 150.0
STORE_SLACK = 4096
"""Bytes the checkpoint file may differ by after deleting every thread: pickling's framing."""


def _load(soak: SoakResult) -> tuple[str, bool] | None:
    page = soak.page
    if not page or page.load_ms is None:
        return None
    measured = f"{page.load_ms:,.0f} ms, {page.load_api_bytes / 1e6:.2f} MB from the API"
    return measured, page.load_ms < LOAD_MS and page.load_api_bytes < LOAD_BYTES


def _reply(soak: SoakResult) -> tuple[str, bool] | None:
    if not soak.page or not soak.page.reply_api_bytes:
        return None
    worst = max(soak.page.reply_api_bytes)
    return f"{worst / 1e6:.2f} MB (largest)", worst < REPLY_BYTES


def _send(soak: SoakResult) -> tuple[str, bool] | None:
    if not soak.page or not soak.page.send_enabled_ms:
        return None
    late = max(soak.page.send_enabled_ms)
    return f"{late:,.0f} ms (latest)", late <= SEND_MS


def _gap(soak: SoakResult) -> tuple[str, bool] | None:
    gaps = [g for g in soak.gaps if g.during_ms is not None]
    if not gaps:
        return None
    measured = "; ".join(f"{g.path}: {g.during_ms:,.0f} ms" for g in gaps)
    met = max(g.during_ms or 0.0 for g in gaps) < GAP_MS and not any(g.errors for g in gaps)
    return measured, met


def _store(soak: SoakResult) -> tuple[str, bool] | None:
    before, after = soak.store_bytes.get("before"), soak.store_bytes.get("deleted")
    if before is None or after is None or "deleted" not in soak.rss_mib:
        return None
    measured = f"{before / 1e3:,.1f} kB before, {after / 1e3:,.1f} kB after deleting"
    return measured, after <= before + STORE_SLACK


def soak_targets(soak: SoakResult | None) -> list[Target]:
    turns = soak.size.turns if soak else SOAK_TURNS
    checks = {
        f"Soak: a {turns}-turn thread loads in < {LOAD_MS / 1000:.1f} s with "
        f"< {LOAD_BYTES / 1e6:.0f} MB": _load,
        f"Soak: a reply costs < {REPLY_BYTES / 1e6:.0f} MB": _reply,
        f"Soak: Send enabled within {SEND_MS:.0f} ms of the run's end": _send,
        f"Soak: another user's longest token gap < {GAP_MS:.0f} ms while the thread is read": _gap,
        "Soak: deleting every thread returns the store to its size before": _store,
    }
    found = []
    for name, check in checks.items():
        outcome = check(soak) if soak else None
        if outcome is None:
            found.append(Target(name, "not measured", None))
            continue
        measured, met = outcome
        judged = soak is not None and soak.size.turns >= SOAK_TURNS
        found.append(Target(name, measured, met if judged else None))
    return found
