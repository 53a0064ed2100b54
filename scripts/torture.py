"""Cancel runs and drop their streams at random points, then check nothing broke.

Each point (``tests/reliability/stops.py``) stops one run at a random moment, by
``runs.cancel`` or by leaving its stream, and checks the run's end, the thread, the tokens
against the saved state, and a next message. Points are seeded: ``--seed S --only I`` replays
one. ``tests/reliability/test_interrupts.py`` runs the quick mode.

    .venv/bin/python scripts/torture.py                 # 50 points, own server
    .venv/bin/python scripts/torture.py --long --seed 7  # 500 points
    .venv/bin/python scripts/torture.py --url http://127.0.0.1:2024 --points 100
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from tests.langgraph_server import is_loopback, langgraph_dev
from tests.reliability.stops import Point, Result, make_point, run_point

POINT_TIMEOUT = 90.0


async def _guarded(client: LangGraphClient, point: Point, gate: asyncio.Semaphore) -> Result:
    async with gate:
        try:
            async with asyncio.timeout(POINT_TIMEOUT):
                return await run_point(client, point)
        except TimeoutError:
            return Result(point, "hung", [f"not done in {POINT_TIMEOUT:.0f} s"])
        except Exception as exc:
            return Result(point, "crashed", [f"{type(exc).__name__}: {exc}"])


@dataclass
class Summary:
    seed: int
    results: list[Result]
    seconds: float

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.problems]

    def report(self) -> str:
        kinds = Counter(
            f"{r.point.action:<10} at {r.point.trigger:<5} -> {r.outcome}" for r in self.results
        )
        lines = [
            f"{len(self.results)} points, seed {self.seed}, {self.seconds:.1f} s, "
            f"{len(self.failures)} failed",
            *(f"  {count:4d}  {kind}" for kind, count in sorted(kinds.items())),
        ]
        for failure in self.failures:
            replay = f"--seed {self.seed} --only {failure.point.index}"
            lines.append(f"FAILED {failure.point}  (replay: {replay})")
            lines += [f"    {problem}" for problem in failure.problems]
        return "\n".join(lines)


async def sweep(
    url: str,
    seed: int,
    points: int = 50,
    *,
    concurrency: int = 8,
    only: Sequence[int] = (),
    api_key: str | None = None,
) -> Summary:
    """Run the points ``concurrency`` at a time (keep it within the server's jobs)."""
    client = get_client(url=url, api_key=api_key)
    gate = asyncio.Semaphore(concurrency)
    start = time.monotonic()
    try:
        indices = only or range(points)
        results = await asyncio.gather(
            *(_guarded(client, make_point(seed, i), gate) for i in indices)
        )
    finally:
        await client.aclose()
    return Summary(seed, list(results), time.monotonic() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=50)
    parser.add_argument("--long", action="store_true", help="500 points")
    parser.add_argument("--seed", type=int, default=None, help="default: random, printed")
    parser.add_argument("--only", type=int, action="append", default=[], help="replay a point")
    parser.add_argument("--url", help="an existing server; default: start langgraph dev")
    parser.add_argument("--api-key", help="sent as x-api-key")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    if args.url and not is_loopback(args.url):
        parser.error("--url must be a loopback address (127.0.0.0/8, localhost or ::1)")
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    points = 500 if args.long else args.points

    def against(url: str) -> Summary:
        return asyncio.run(
            sweep(
                url,
                seed,
                points,
                concurrency=args.concurrency,
                only=args.only,
                api_key=args.api_key,
            )
        )

    if args.url:
        summary = against(args.url)
    else:
        with langgraph_dev() as server:  # 10 jobs: keep --concurrency at most that
            summary = against(server.url)
    print(summary.report())
    return 1 if summary.failures else 0


if __name__ == "__main__":
    sys.exit(main())
