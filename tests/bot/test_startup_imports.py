"""What a start loads: the libraries that only make a chart, a spreadsheet or a PDF are
imported when the first one is made, so every start (and every restart after a crash)
answers sooner and the bot's memory stays small (see bench/RESULTS.md)."""

from __future__ import annotations

import subprocess
import sys

LOADED_ON_FIRST_USE = ("matplotlib", "openpyxl", "fpdf", "numpy")


def test_a_start_does_not_load_the_chart_spreadsheet_and_pdf_libraries() -> None:
    probe = (
        "import sys, bot.app, bot.wiring, bot.views.outbox\n"
        f"print(' '.join(m for m in {LOADED_ON_FIRST_USE!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == []
