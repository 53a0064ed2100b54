"""The report's sections for the main road (issue 18), jobs per worker and the soak (issue 24)."""

from __future__ import annotations

from bench.concurrency import SIZE, Level
from bench.layers import SDK, SSE, THREAD
from bench.layers_summary import rows
from bench.mainroad import SIZE as FIRST_SIZE
from bench.markdown import fmt, table
from bench.measure import SIZES, Spread
from bench.run import Results
from bench.soak import BATCH, CHECKPOINTS, LAST, PROMPTS
from bench.soak_gaps import HISTORY_LIMIT, READS
from bench.soak_page import REPLY_SIZE
from bench.targets import cpu_per_token_us, label


def _ms(value: Spread | None) -> str:
    return fmt(value, 0)


def _num(value: float | None, scale: float = 1.0) -> str:
    return f"{value / scale:,.0f}" if value is not None else "—"


def _at_50(results: Results, prefix: str) -> Level | None:
    return next(
        (lv for lv in results.concurrency if lv.streams == 50 and lv.path.startswith(prefix)), None
    )


def mainroad(results: Results) -> list[str]:
    """Every comparison of issue 18's "Done when", direct SSE next to the runs API."""
    body: list[list[str]] = []
    for row in results.mainroad:
        gap = f"{row.gap_ms:+,.0f}" if row.gap_ms is not None else "—"
        body.append([f"first token ms, `count to {FIRST_SIZE}`, {row.which}",
                     _ms(row.sse_ms), _ms(row.runs_ms), gap])  # fmt: skip
    if results.sweep:
        table_ = rows(results.sweep)
        sse = cpu_per_token_us(table_, SSE)
        for path, road in ((SDK, "`runs.stream`"), (THREAD, "thread event stream")):
            runs = cpu_per_token_us(table_, path)
            ratio = f"×{runs / sse:.2f}" if runs is not None and sse else "—"
            name = f"server CPU µs per token, {label(SIZES[-1])}-token answer, runs API: {road}"
            body.append([name, _num(sse), _num(runs), ratio])
    sse50, runs50 = _at_50(results, "direct SSE"), _at_50(results, "runs")
    if sse50 or runs50:
        for what, attr in (("p50", "ttft_p50"), ("p95", "ttft_p95")):
            cells = [_ms(getattr(lv, attr)) if lv else "—" for lv in (sse50, runs50)]
            body.append([f"50 concurrent streams, first token {what} ms", *cells, ""])
        cells = [f"{lv.errors} / {lv.lost}" if lv else "—" for lv in (sse50, runs50)]
        body.append(["50 concurrent streams, errors / lost tokens", *cells, ""])
    views = {v.view: v for v in (results.browser.views if results.browser else [])}
    if {"main", "direct"} <= set(views):
        for which, name in (("cold", "first"), ("warm", "second")):
            direct, main = (getattr(views[v], which).final_ms for v in ("direct", "main"))
            ratio = f"×{main.median / direct.median:.2f}" if main and direct else "—"
            what = f"web app, 5,000 tokens shown ms, page's {name} answer (direct view; main view)"
            body.append([what, _ms(direct), _ms(main), ratio])
    if not body:
        return []
    return [
        "## The main road (issue 18): the runs API next to direct SSE",
        "",
        *table(["", "direct SSE", "runs API", "runs API − or ÷ SSE"], body),
    ]


def jobs(results: Results) -> list[str]:
    if not results.jobs:
        return []
    body = [
        [lv.path, _ms(lv.ttft_p50), _ms(lv.ttft_p95), fmt(lv.tokens_per_s, 0),
         fmt(lv.peak_rss_mib, 0), str(lv.errors), str(lv.lost)]
        for lv in results.jobs
    ]  # fmt: skip
    header = ["server", "first token p50 ms", "p95 ms", "tokens/s, all streams",
            "server peak RSS MiB", "errors", "lost tokens"]  # fmt: skip
    return [
        f"## Jobs per worker (issue 18, item 5): 50 runs-API streams of `count to {SIZE}`, "
        "two servers taking turns",
        "",
        *table(header, body),
    ]


def soak(results: Results) -> list[str]:
    found = results.soak
    if found is None:
        return []
    size = found.size
    ok, streamed, tools = found.user_turns
    lines = [
        f"## Soak (issue 24): one thread of {size.turns} turns, {size.users} users × "
        f"{size.user_turns} turns",
        "",
        f"Turns: {', '.join(f'`{p}`' for p in PROMPTS)} in turn, each asking for a tool; the "
        f"long thread's last `{LAST}`. The long thread: grown in {found.grow_s:.0f} s (runs "
        f"queued {BATCH} at a time); {found.long_tool_turns} of its {size.turns - 1} tool turns "
        f"ran the tool. Users: in {found.users_s:.0f} s, of {size.users * size.user_turns} "
        f"turns {ok} succeeded, {streamed} streamed an answer, {tools} ran the tool; first "
        f"token (of those that streamed) p50 {_num(found.user_first_p50_ms)} ms, p95 "
        f"{_num(found.user_first_p95_ms)} ms; {len(found.user_errors)} errors.",
        "",
    ]
    page = found.page
    if page:
        body = [["page load (to the last answer shown)", _num(page.load_ms),
                 _num(page.load_api_bytes, 1e3), _num(page.load_app_bytes, 1e3)]]  # fmt: skip
        replies = zip(page.send_enabled_ms, page.reply_api_bytes, strict=False)
        body += [
            [f"reply {i} (`count to {REPLY_SIZE}`): run end → Send enabled", _num(ms),
             _num(size, 1e3), "—"]
            for i, (ms, size) in enumerate(replies, 1)
        ]  # fmt: skip
        lines += table(["web app, main view", "ms", "API kB", "app files kB"], body)
        lines += [f"Page errors: {'; '.join(page.errors)}", ""] if page.errors else []
    if found.gaps:
        body = [
            [g.path, _num(g.during_ms), _num(g.outside_ms),
             ", ".join(f"{ms:,.0f}" for ms in g.read_ms), _num(g.read_bytes, 1e3),
             "; ".join(g.errors) or "0"]
            for g in found.gaps
        ]  # fmt: skip
        header = ["another user's stream", "longest token gap during the reads ms", "outside ms",
                f"state + history (limit {HISTORY_LIMIT}) read ms, × {READS}", "read kB",
                "errors"]  # fmt: skip
        lines += table(header, body)
    rss, store = found.rss_mib, found.store_bytes
    processes = f"{found.processes} process{'es' if found.processes > 1 else ''}"
    body = [[f"server RSS MiB ({processes})",
             *(_num(rss.get(k)) for k in ("before", "after", "read", "deleted"))]]  # fmt: skip
    for files, suffix in (("*", ""), (CHECKPOINTS, ", checkpoints")):
        before, deleted = (_num(store.get(k + suffix), 1e3) for k in ("before", "deleted"))
        body.append([f"`.langgraph_api/{files}` kB, after a clean shutdown", before, "—", "—",
                     deleted])  # fmt: skip
    header = ["", "before any thread", "after making them", "after the page and the reads",
            "after deleting all"]  # fmt: skip
    lines += table(header, body)
    return [*lines, *([f"Errors: {'; '.join(found.errors)}", ""] if found.errors else [])]
