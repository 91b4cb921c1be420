"""What must hold before the bot takes updates, checked so that a failure is one clear line.

A setting or file that is wrong stops the bot with exit status 2 and one line naming it; the
process never stays alive after a failed start (a supervisor would see it "running").
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import time
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter

from bot.config import SettingsError

log = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 30.0


class StartupError(Exception):
    """The bot cannot start for a reason outside its settings (Telegram out of reach)."""


def check_listen(host: str, port: int) -> None:
    """Bind `host:port` once and let go, as the webhook server will: an unknown host or a port
    in use is said now, in one line, rather than as a traceback after the database opened.
    SO_REUSEADDR as tornado sets it, so that a port in TIME_WAIT is not taken for busy."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise SettingsError("WEBHOOK_LISTEN", f"unknown host {host!r} ({error.strerror})") from None
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as error:
                raise _bind_error(host, port, error) from None


def _bind_error(host: str, port: int, error: OSError) -> SettingsError:
    if error.errno == errno.EADDRINUSE:
        return SettingsError("WEBHOOK_PORT", f"port {port} is already in use on {host}")
    if error.errno == errno.EACCES:
        return SettingsError("WEBHOOK_PORT", f"port {port} needs privileges this process lacks")
    if error.errno == errno.EADDRNOTAVAIL:
        return SettingsError("WEBHOOK_LISTEN", f"{host} is not an address of this machine")
    return SettingsError("WEBHOOK_LISTEN", f"cannot listen on {host}:{port} ({error.strerror})")


async def reach_telegram(
    bot: Bot,
    patience: float,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """`bot.initialize()` (its getMe), tried again with backoff (1, 2, 4… 30 s) while Telegram
    is out of reach, for at most `patience` seconds; each failure is logged at WARNING.

    A refused token is a wrong setting, not an outage: no retry. PTB's own bootstrap retries
    at a fixed interval and logs the last failure with a traceback, which is why the bot
    initializes here first (the Application's initialize then finds the bot ready).
    """
    started, delay, attempt = clock(), FIRST_DELAY, 0
    while True:
        attempt += 1
        try:
            await bot.initialize()
            return
        except InvalidToken as error:
            # PTB maps 401 and 404 to InvalidToken; its message quotes the token: never shown.
            reason = "Telegram refused this token"
            if "not found" in str(error.__cause__ or "").lower():
                reason += " (404 Not Found: or BOT_API_BASE_URL is not a Bot API server)"
            raise SettingsError("BOT_TOKEN", reason) from None
        except BadRequest:  # a subclass of NetworkError, yet an answer: not an outage
            raise
        except (NetworkError, RetryAfter) as error:
            problem = f"{type(error).__name__}: {error}"
            waited = clock() - started
            if waited + delay > patience:
                raise StartupError(
                    f"Telegram ({_root(bot)}) could not be reached in {waited:.0f} s"
                    f" ({attempt} tries; last: {problem}); the bot stops"
                ) from None
            log.warning(
                "Telegram not reachable at start-up (try %d: %s); next try in %.0f s",
                attempt,
                problem,
                delay,
            )
            await sleep(delay)
            delay = min(delay * 2, MAX_DELAY)


def _root(bot: Bot) -> str:
    """The Bot API root, without the `/bot<token>` PTB appends."""
    return bot.base_url.removesuffix(bot.token).removesuffix("/bot")
