"""`python -m bench [--quick] [--skip SECTION ...]`: run, print the tables, write the results."""

from __future__ import annotations

import argparse
import asyncio

from bench.report import RESULTS, write
from bench.run import SECTIONS, Settings, run
from bench.targets import evaluate


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats: about a minute")
    parser.add_argument(
        "--skip", nargs="+", choices=SECTIONS, default=[], metavar="SECTION",
        help=f"leave out sections: {', '.join(SECTIONS)}",
    )  # fmt: skip
    parser.add_argument(
        "--only", nargs="+", choices=SECTIONS, default=[], metavar="SECTION",
        help="run only these sections",
    )  # fmt: skip
    args = parser.parse_args()
    skip = [s for s in SECTIONS if s not in args.only] if args.only else args.skip
    results = asyncio.run(run(Settings(quick=args.quick, skip=tuple(skip))))
    # Only a whole run replaces the committed figures; a partial one is for the moment.
    name = "partial" if args.quick or skip else "latest"
    print(write(results, evaluate(results), name))
    print(f"Written: {RESULTS / name}.md, {RESULTS / name}.json ({results.seconds:.0f} s)")


if __name__ == "__main__":
    main()
