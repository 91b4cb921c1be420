"""The benchmark's journey, tiny: so that bench/ cannot rot (`make bench` runs the real sizes)."""

from __future__ import annotations

from bench import journey
from bench.__main__ import Row, parse, table


def test_three_applicants_complete_the_journey_with_both_bots() -> None:
    """Completed is counted in our bot's database (status submitted): a refusal quoting
    another applicant's reference does not count (it did while all had one phone)."""
    for module in ("bot", "bench.baseline_bot"):
        result = journey.run(3, module=module)
        assert result.completed == 3, result.errors
        assert result.errors == []
        assert result.updates == 3 * 24  # the same walk, update for update, in both bots
        assert result.cpu_seconds > 0 and result.peak_rss > 0
        assert len(result.latencies) == result.updates


def test_quick_mode_and_the_table() -> None:
    args = parse(["--quick"])
    assert args.users == [50] and args.recipients == 500 and args.scale_users == 6000
    text = table([Row("1-2 journey", "50 applicants", "CPU ratio", "1.10", "≤ 1.3", True)])
    assert "| 1-2 journey" in text and "yes" in text
