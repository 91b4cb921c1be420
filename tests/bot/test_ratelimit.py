"""The one message budget: even spacing, at most 29 in any second, a 429 pauses everything."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import OUTBOX, PACED, SPACING, WINDOW_LIMIT, MessageRateLimiter, spacing_for


class VirtualTime:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def limiter(time: VirtualTime, **options: Any) -> MessageRateLimiter:
    return MessageRateLimiter(monotonic=time, sleep=time.sleep, **options)


async def send_one_by_one(rate: MessageRateLimiter, time: VirtualTime, count: int) -> list[float]:
    """Send `count` messages, each once the previous has gone; when each left."""
    stamps: list[float] = []

    async def send() -> bool:
        stamps.append(time.now)
        return True

    for _ in range(count):
        await rate.process_request(send, (), {}, "sendMessage", {}, None)
    return stamps


async def test_messages_are_spaced_and_never_more_than_29_in_a_second() -> None:
    time = VirtualTime()
    stamps = await send_one_by_one(limiter(time), time, 300)
    for index in range(len(stamps) - 29):
        assert stamps[index + 29] - stamps[index] >= 1.0 - 1e-9  # the 30th is a second later
    assert 28.5 <= len(stamps) / stamps[-1] <= 29.5  # yet close to the cap


async def test_the_window_counts_from_answers_so_a_slow_network_cannot_bunch_messages() -> None:
    time = VirtualTime()
    rate = limiter(time)
    left: list[float] = []
    answered: list[float] = []

    async def slow_send() -> bool:
        left.append(time.now)
        await time.sleep(0.2)  # on its way: Telegram may receive it any time until the answer
        answered.append(time.now)
        return True

    await asyncio.gather(
        *(rate.process_request(slow_send, (), {}, "sendMessage", {}, None) for _ in range(90))
    )
    # Even if message i arrived as late as its answer and message i+29 as early as it left,
    # they are a second apart.
    for index in range(len(left) - 29):
        assert left[index + 29] - answered[index] >= 1.0 - 1e-9


async def test_a_larger_budget_keeps_the_same_margin() -> None:
    assert spacing_for(WINDOW_LIMIT) == pytest.approx(SPACING)
    time = VirtualTime()
    rate = limiter(time, spacing=spacing_for(500), window_limit=500)
    stamps = await send_one_by_one(rate, time, 2000)
    for index in range(len(stamps) - 500):
        assert stamps[index + 500] - stamps[index] >= 1.0 - 1e-9
    assert 490 <= len(stamps) / stamps[-1] <= 509


async def test_edits_and_button_answers_are_not_held_back() -> None:
    time = VirtualTime()
    rate = limiter(time)

    async def call() -> bool:
        return True

    for _ in range(100):
        await rate.process_request(call, (), {}, "answerCallbackQuery", {}, None)
    assert time.now == 0.0


async def test_replies_go_before_messages_that_are_not_replies() -> None:
    """A broadcast queued first does not hold up the reply to a tap (real clock, short gaps)."""
    rate = MessageRateLimiter(spacing=0.02, window_limit=1000)
    order: list[str] = []

    def recorder(kind: str) -> Any:
        async def send() -> bool:
            order.append(kind)
            return True

        return send

    broadcast = [
        asyncio.create_task(
            rate.process_request(
                recorder("outbox"), (), {}, "sendMessage", {"chat_id": 100 + n}, OUTBOX
            )
        )
        for n in range(20)
    ]
    await asyncio.sleep(0.05)  # a few have gone
    await rate.process_request(recorder("reply"), (), {}, "sendMessage", {"chat_id": 7}, None)
    await rate.process_request(recorder("tap"), (), {}, "answerCallbackQuery", {}, None)
    assert order.index("reply") <= 6, order  # at most one message that is not a reply went ahead
    assert order.index("tap") == order.index("reply") + 1  # button answers never queue
    await asyncio.gather(*broadcast)
    assert order.count("outbox") == 20


async def test_a_reply_sent_while_a_paced_message_waits_pushes_it_a_second_later() -> None:
    """Replies do not wait for the chat; a message that is not one, already waiting for its
    turn in that chat, must not follow a reply within the second (Telegram answers 429)."""
    rate = MessageRateLimiter(spacing=0.2, window_limit=1000)
    sent: list[tuple[str, float]] = []
    loop = asyncio.get_running_loop()

    def recorder(kind: str) -> Any:
        async def send() -> bool:
            sent.append((kind, loop.time()))
            return True

        return send

    await rate.process_request(recorder("first"), (), {}, "sendMessage", {"chat_id": 5}, PACED)
    paced = asyncio.create_task(
        rate.process_request(recorder("paced"), (), {}, "sendMessage", {"chat_id": 5}, PACED)
    )
    await asyncio.sleep(0.9)  # the paced one waits for its second
    await rate.process_request(recorder("reply"), (), {}, "sendMessage", {"chat_id": 5}, None)
    await paced
    times = dict(sent)
    assert [kind for kind, _ in sent] == ["first", "reply", "paced"]
    assert times["paced"] - times["reply"] >= 0.99


async def test_retry_after_pauses_all_and_a_reply_is_retried_once() -> None:
    time = VirtualTime()
    rate = limiter(time)
    answers: list[float] = []

    async def flaky() -> bool:
        answers.append(time.now)
        if len(answers) == 1:
            raise RetryAfter(timedelta(seconds=5))
        return True

    assert await rate.process_request(flaky, (), {}, "sendMessage", {}, None) is True
    assert answers[1] >= 5.0


async def test_the_outbox_handles_its_own_retry_after() -> None:
    time = VirtualTime()
    rate = limiter(time)

    async def refused() -> bool:
        raise RetryAfter(timedelta(seconds=3))

    with pytest.raises(RetryAfter):
        await rate.process_request(refused, (), {}, "sendMessage", {}, OUTBOX)

    async def fine() -> bool:
        return True

    await rate.process_request(fine, (), {}, "sendMessage", {}, OUTBOX)
    assert time.now >= 3.0  # but the pause applies to everyone


async def test_messages_that_are_not_replies_keep_a_second_apart_in_a_chat() -> None:
    time = VirtualTime()
    rate = limiter(time)
    stamps: dict[str, list[float]] = {"outbox": [], "reply": []}

    def recorder(kind: str) -> Any:
        async def send() -> bool:
            stamps[kind].append(time.now)
            return True

        return send

    for _ in range(3):
        await rate.process_request(
            recorder("outbox"), (), {}, "sendMessage", {"chat_id": 7}, OUTBOX
        )
    assert stamps["outbox"][1] - stamps["outbox"][0] >= 1.0
    assert stamps["outbox"][2] - stamps["outbox"][1] >= 1.0
    before = time.now
    await rate.process_request(recorder("reply"), (), {}, "sendMessage", {"chat_id": 7}, None)
    assert stamps["reply"][0] - before < 0.1  # a reply does not wait for the chat


async def test_two_waiters_for_one_chat_do_not_share_its_second() -> None:
    time = VirtualTime()
    rate = limiter(time)
    stamps: list[float] = []

    async def send() -> bool:
        stamps.append(time.now)
        return True

    await rate.process_request(send, (), {}, "sendMessage", {"chat_id": 7}, None)
    await asyncio.gather(
        rate.process_request(send, (), {}, "editMessageText", {"chat_id": 7}, PACED),
        rate.process_request(send, (), {}, "sendMessage", {"chat_id": 7}, OUTBOX),
    )
    assert stamps[1] - stamps[0] >= 1.0 and stamps[2] - stamps[1] >= 1.0
