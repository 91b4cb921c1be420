"""The dead-code check of `make lint`: vulture over the product, the benchmarks and the local
Bot API server (localbotapi/), with the tests read for their uses only.

    .venv/bin/python -m scripts.deadcode

The tests are localbotapi's users: read with the rest, a helper of the fake that no test calls
is reported, and one they call is not. Their own leftovers are not reported (pytest calls the
fixtures and reads `pytestmark`, which vulture cannot see). What a library calls is listed in
scripts/deadcode_whitelist.py. Exit code as vulture's: 0 clean, 3 unused code found.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from vulture import Vulture

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("bot", "storage", "bench", "localbotapi", "scripts/deadcode_whitelist.py")
USERS_ONLY = ("tests",)
MIN_CONFIDENCE = 60
DEAD_CODE = 3  # vulture's own exit code for it


def unused() -> tuple[list[str], int]:
    """vulture's report lines for CHECKED, and its exit code (non-zero on a syntax error)."""
    vulture = Vulture()
    vulture.scavenge([str(ROOT / path) for path in (*CHECKED, *USERS_ONLY)])
    users = [ROOT / path for path in USERS_ONLY]
    found = [
        item
        for item in vulture.get_unused_code(min_confidence=MIN_CONFIDENCE)
        if not any(Path(item.filename).resolve().is_relative_to(user) for user in users)
    ]
    return [item.get_report() for item in found], int(vulture.exit_code)


def main() -> int:
    os.chdir(ROOT)  # vulture reports paths relative to the working folder
    lines, code = unused()
    for line in lines:
        print(line)
    return code or (DEAD_CODE if lines else 0)


if __name__ == "__main__":
    sys.exit(main())
