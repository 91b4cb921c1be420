"""`python -m bench`: every benchmark, one line each."""

from __future__ import annotations

import sys

from bench import broadcast


def main(argv: list[str]) -> int:
    recipients = int(argv[0]) if argv else 2000
    broadcast.main(recipients)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
