"""Held answers: the message is delivered, the answer waits for the test."""

from __future__ import annotations

import threading
import time

import httpx

from localbotapi import FakeTelegram

TOKEN = "123456:TEST-TOKEN"


def test_a_held_send_is_delivered_and_answered_only_when_released() -> None:
    with FakeTelegram(token=TOKEN) as fake:
        fatima = fake.user(101, first_name="Fatima")
        other = fake.user(102, first_name="Khadija")
        hold = fake.hold_answers([101], count=1)
        url = f"{fake.base_url}/bot{TOKEN}/sendMessage"
        answers: list[tuple[float, int]] = []

        def send(chat_id: int) -> None:
            response = httpx.post(url, json={"chat_id": chat_id, "text": "Bonjour"}, timeout=10)
            answers.append((time.monotonic(), response.status_code))

        # Another chat is not held.
        send(102)
        assert other.expect_message().text == "Bonjour"
        sender = threading.Thread(target=send, args=(101,))
        sender.start()
        fake.wait_until(lambda: fake.held(hold) == [101], timeout=5, interval=0.02)
        assert fatima.expect_message().text == "Bonjour"  # delivered already
        time.sleep(0.5)
        assert len(answers) == 1, "the answer waits"
        released = time.monotonic()
        fake.release_answers()
        sender.join(5)
        assert answers[-1][1] == 200 and answers[-1][0] >= released
        # count=1: the next send to the same chat is answered at once.
        send(101)
        assert len(answers) == 3
        assert [call.status for call in fake.calls("sendMessage")] == [200, 200, 200]
