"""Telegram bot for cooperatives applying to solidarity markets and fairs."""

import zoneinfo

# Morocco is on permanent UTC+00 since 2026-09-20 (IANA tzdb 2026c); the system zone files of
# many machines are older and one hour wrong. Read zones from the `tzdata` wheel only, before
# any ZoneInfo is created (bot/clock.py checks it at start-up).
zoneinfo.reset_tzpath(to=[])
zoneinfo.ZoneInfo.clear_cache()

__version__ = "0.1.0"
