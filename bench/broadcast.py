"""A broadcast to N recipients, the real bot against the fake Bot API enforcing Telegram's limits.

Measures the achieved rate (recipients' messages per second, from the first to the last one the
fake received), the 429s and the duplicates.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess
from tests.e2e.broadcasting import (
    ORGANIZER,
    compose,
    open_console,
    received,
    seed,
    send_and_count,
    throttled_recipients,
)

CAP = 30.0  # Telegram's messages per second


@dataclass(frozen=True)
class BroadcastResult:
    recipients: int
    delivered: int
    duplicates: int
    too_many_requests: int
    seconds: float

    @property
    def rate(self) -> float:
        return (self.delivered - 1) / self.seconds if self.seconds > 0 else 0.0


def run(recipients: int = 2000) -> BroadcastResult:
    marker = "BENCH"
    users = list(range(1_000_001, 1_000_001 + recipients))
    with tempfile.TemporaryDirectory() as workdir, FakeTelegram(enforce_limits=True) as fake:
        bot = BotProcess(fake, Path(workdir), {"ADMIN_IDS": str(ORGANIZER), "QUIET_HOURS": "off"})
        bot.start()
        bot.stop()
        seed(str(bot.database), users)
        for user_id in users:
            fake.user(user_id, first_name="Coop")
        bot.start()
        try:
            organizer = fake.user(ORGANIZER, first_name="Nadia", language_code="fr")
            open_console(organizer)
            assert send_and_count(organizer, compose(organizer, marker)) == recipients
            deadline = time.monotonic() + recipients / 20 + 60
            while sum(received(fake, marker).values()) < recipients:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            calls = [
                call
                for call in fake.calls("sendMessage")
                if call.status == 200
                and marker in str(call.params.get("text", ""))
                and call.params.get("chat_id") != ORGANIZER
            ]
            counts = received(fake, marker)
            stamps = sorted(call.timestamp for call in calls)
            return BroadcastResult(
                recipients=recipients,
                delivered=len(counts),
                duplicates=sum(n - 1 for n in counts.values()),
                too_many_requests=sum(throttled_recipients(fake).values()),
                seconds=stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0,
            )
        finally:
            bot.stop()


def main(recipients: int = 2000) -> BroadcastResult:
    result = run(recipients)
    print(
        f"broadcast to {result.recipients}: {result.delivered} delivered in "
        f"{result.seconds:.1f} s = {result.rate:.2f}/s ({result.rate / CAP:.0%} of {CAP:g}/s), "
        f"429s: {result.too_many_requests}, duplicates: {result.duplicates}"
    )
    return result


if __name__ == "__main__":
    main()
