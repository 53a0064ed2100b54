"""The bench's own arithmetic on given numbers (no clock): gaps, and how targets are judged."""

from __future__ import annotations

import pytest

from bench.mainroad import FirstToken
from bench.measure import Spread
from bench.soak import Size, SoakResult
from bench.soak_gaps import Gaps, _longest
from bench.soak_page import PageFigures
from bench.targets_soak import soak_targets

pytestmark = pytest.mark.unit


def one(value: float) -> Spread:
    return Spread(value, value, value, value, value, 1)


def test_gaps_inside_and_outside_the_reads() -> None:
    times = [0.0, 0.01, 0.02, 0.30, 0.31, 0.40, 0.41]
    during, outside = _longest(times, start=0.1, end=0.2)
    assert during == pytest.approx(280) and outside == pytest.approx(90)


def test_first_token_gap_is_runs_minus_sse() -> None:
    row = FirstToken("new thread", one(12), one(760), one(750), [])
    assert row.gap_ms == pytest.approx(748)
    assert FirstToken("x", None, one(1), None, []).gap_ms is None


def soak(turns: int) -> SoakResult:
    page = PageFigures(load_ms=900, load_api_bytes=500_000, reply_api_bytes=[2_000_000],
                       send_enabled_ms=[100])  # fmt: skip
    gaps = [Gaps("runs API", during_ms=90, outside_ms=10), Gaps("direct SSE", during_ms=20)]
    return SoakResult(Size(turns, 1, 1, 1), page=page, gaps=gaps, rss_mib={"deleted": 1.0},
                      store_bytes={"before": 1000, "deleted": 900_000})  # fmt: skip


def test_soak_targets_are_judged_only_at_the_issues_size() -> None:
    # load, reply bytes, Send enabled, another user's gap, the store after deleting
    assert [t.met for t in soak_targets(soak(200))] == [True, False, True, True, False]
    assert {t.met for t in soak_targets(soak(30))} == {None}
    assert all(t.measured == "not measured" for t in soak_targets(None))
