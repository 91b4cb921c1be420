"""`python -m bench` (`make bench`): every benchmark in one run, then one table.

    python -m bench            # 50, 200 and 1,000 applicants; 5,000 recipients; 60,000 users
    python -m bench --quick    # a smoke run: 50 applicants, 500 recipients, 6,000 users
    python -m bench --users 3 --only journey

The applicant journeys run against our bot and against the baseline (bench/baseline_bot.py)
in the same run, on the same machine, one after the other. See bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from bench import broadcast, journey, scale

PARTS = ("journey", "broadcast", "scale")
CPU_RATIO_TARGET = 1.3
RATE_TARGET = 0.95
QUEUE_TARGET = 1.0  # seconds: the review queue and /find
EXPORT_TARGET = 5.0  # seconds: /export of one phase


@dataclass(frozen=True)
class Row:
    part: str
    case: str
    measure: str
    value: str
    target: str = ""
    met: bool | None = None


def journey_rows(users: int) -> list[Row]:
    # Side by side, at the same time, each against its own fake: on a shared machine both
    # face the same load, which changes CPU per update by as much as the difference measured.
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(journey.run, users, module="bot", label="ours")
        baseline = pool.submit(
            journey.run, users, module="bench.baseline_bot", label="baseline", first_user=5_000_001
        )
        ours, base = running.result(), baseline.result()
    for result in (ours, base):
        _log(
            f"journey {result.bot} {users}: {result.completed} done in {result.seconds:.1f} s"
            f" {result.errors[:1]}"
        )
    rows: list[Row] = []
    for result in (ours, base):
        case = f"{result.bot}, {users} applicants"
        rows += [
            Row(
                "1-2 journey",
                case,
                "completed",
                f"{result.completed}/{users}",
                f"{users}",
                result.completed == users,
            ),
            Row("1-2 journey", case, "updates", f"{result.updates:,}"),
            Row("1-2 journey", case, "updates per second", f"{result.updates_per_second:.1f}"),
            Row("1-2 journey", case, "bot messages per second", _rate(result)),
            Row(
                "1-2 journey",
                case,
                "latency p50 / p95 / p99",
                " / ".join(f"{result.percentile(p):.2f} s" for p in (50, 95, 99)),
            ),
            Row(
                "1-2 journey", case, "bot CPU per update", f"{result.cpu_per_update * 1000:.2f} ms"
            ),
            Row("1-2 journey", case, "bot peak RSS", f"{result.peak_rss / 2**20:.0f} MiB"),
        ]
    ratio = ours.cpu_per_update / base.cpu_per_update if base.cpu_per_update else float("inf")
    rows.append(
        Row(
            "1-2 journey",
            f"{users} applicants",
            "CPU per update, ours / baseline",
            f"{ratio:.2f}",
            f"≤ {CPU_RATIO_TARGET}",
            ratio <= CPU_RATIO_TARGET,
        )
    )
    return rows


def _rate(result: journey.JourneyResult) -> str:
    return f"{result.bot_messages / result.seconds:.1f}" if result.seconds else "—"


def broadcast_rows(recipients: int) -> list[Row]:
    result = broadcast.run(recipients)
    share = result.rate / broadcast.CAP
    case = f"{recipients:,} recipients, limits enforced"
    return [
        Row(
            "3 broadcast",
            case,
            "delivered",
            f"{result.delivered:,} in {result.seconds:.0f} s",
            f"{recipients:,}",
            result.delivered == recipients,
        ),
        Row(
            "3 broadcast",
            case,
            "rate, share of 30/s",
            f"{result.rate:.2f}/s = {share:.1%}",
            f"≥ {RATE_TARGET:.0%}",
            share >= RATE_TARGET,
        ),
        Row(
            "3 broadcast",
            case,
            "429s",
            str(result.too_many_requests),
            "0",
            not result.too_many_requests,
        ),
        Row("3 broadcast", case, "duplicates", str(result.duplicates), "0", not result.duplicates),
    ]


def scale_rows(users: int, applications: int) -> list[Row]:
    result = scale.run(users, applications)
    for error in result.errors:
        _log(f"scale: {error}")
    case = f"{users:,} users, {applications:,} applications"
    rows = [
        Row(
            "4 scale", case, "seeded answers", f"{result.answers:,} in {result.seed_seconds:.0f} s"
        ),
        Row("4 scale", case, "database size", f"{result.database_bytes / 2**20:.0f} MiB"),
        Row(
            "4 scale", case, "bot start-up (to first getUpdates)", f"{result.startup_seconds:.2f} s"
        ),
    ]
    for command, seconds in result.timings.items():
        target = EXPORT_TARGET if command.startswith("/export") else None
        if command.startswith(("/review", "/find")):
            target = QUEUE_TARGET
        rows.append(
            Row(
                "4 scale",
                case,
                command,
                f"{seconds:.2f} s",
                f"< {target:g} s" if target else "",
                seconds < target if target else None,
            )
        )
    return rows


def table(rows: Sequence[Row]) -> str:
    header = ("part", "case", "measure", "result", "target", "met")
    lines = [header] + [
        (
            r.part,
            r.case,
            r.measure,
            r.value,
            r.target,
            "" if r.met is None else ("yes" if r.met else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def render(line: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
            + " |"
        )

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([render(lines[0]), separator, *(render(line) for line in lines[1:])])


def _log(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", file=sys.stderr, flush=True)


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run with small sizes")
    parser.add_argument("--users", help="applicants at once, comma-separated (50,200,1000)")
    parser.add_argument("--recipients", type=int, help="broadcast recipients (5000)")
    parser.add_argument("--scale-users", type=int, help="users in the database (60000)")
    parser.add_argument("--scale-applications", type=int, help="applications (100000)")
    parser.add_argument("--only", help=f"comma-separated parts to run: {', '.join(PARTS)}")
    args = parser.parse_args(argv)
    quick = args.quick
    args.users = [int(n) for n in (args.users or ("50" if quick else "50,200,1000")).split(",")]
    args.recipients = args.recipients or (500 if quick else 5000)
    args.scale_users = args.scale_users or (6_000 if quick else 60_000)
    args.scale_applications = args.scale_applications or (10_000 if quick else 100_000)
    args.only = set((args.only or ",".join(PARTS)).split(","))
    if unknown := args.only - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    return args


def main(argv: Sequence[str]) -> int:
    args = parse(argv)
    began = time.monotonic()
    rows: list[Row] = []
    if "journey" in args.only:
        for users in args.users:
            rows += journey_rows(users)
    if "broadcast" in args.only:
        _log(f"broadcast to {args.recipients} recipients")
        rows += broadcast_rows(args.recipients)
    if "scale" in args.only:
        _log(f"scale: {args.scale_users} users, {args.scale_applications} applications")
        rows += scale_rows(args.scale_users, args.scale_applications)
    print(
        f"souk-bot benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()},"
        f" Python {platform.python_version()}, {_cpus()}; {time.monotonic() - began:.0f} s"
    )
    print(table(rows))
    return 0 if all(row.met is not False for row in rows) else 1


def _cpus() -> str:
    import os

    return f"{os.cpu_count()} CPUs"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
