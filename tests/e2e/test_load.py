"""200 applicants at once, over HTTP, against one real bot process: every application sent
with every answer, no error, no unexpected reply. Then the bot's log holds nothing they typed
(phones, names, structures, free text) nor the token; at LOG_LEVEL=DEBUG too.

The wall time and the updates handled per second are printed (run with `-s`). The bot's
sending budget is raised (MESSAGES_PER_SECOND): with Telegram's 30 a second, 200 applicants
answering as fast as scripts do would measure Telegram's cap, not the bot.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess
from tests.e2e.crowd import ApplicantResult, CrowdResult, run_crowd

# 200 applicants take one to two minutes on two shared cores: more than pytest's default.
pytestmark = pytest.mark.timeout(400)

APPLICANTS = 200
PHASES = ("ifrane-1", "ifrane-2", "ifrane-3", "mohammedia-1")
TOKEN = "123456:TEST-TOKEN"


@dataclass(frozen=True)
class Run:
    result: CrowdResult
    bot: BotProcess


def crowd_run(tmp_path: Path, n: int, first_user_id: int, **env: str) -> Run:
    with FakeTelegram(token=TOKEN) as fake:
        bot = BotProcess(fake, tmp_path, {"MESSAGES_PER_SECOND": "1000", **env})
        outcome: list[CrowdResult] = []
        crowd = threading.Thread(
            target=lambda: outcome.append(
                fake.run_coroutine(run_crowd(fake, n, first_user_id=first_user_id, phases=PHASES))
            )
        )
        crowd.start()  # first: with updates waiting, the bot's first poll returns at once
        try:
            bot.start()
        finally:
            crowd.join()
            if bot.process is not None and bot.process.poll() is None:
                assert bot.stop() == 0, bot.log()
    (result,) = outcome
    return Run(result, bot)


@pytest.fixture(scope="module")
def load(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    run = crowd_run(tmp_path_factory.mktemp("load"), APPLICANTS, 400_001)
    result = run.result
    print(f"\nload: {result.summary()}")
    yield run


def stored_applications(database: Path) -> dict[int, tuple[str, str | None, dict[str, object]]]:
    """user id -> (status, reference, complete answers) of each user's application."""
    found: dict[int, tuple[str, str | None, dict[str, object]]] = {}
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT user_id, status, reference, id FROM applications")
        for user_id, status, reference, application_id in rows.fetchall():
            answers = {
                question: json.loads(value)
                for question, value in connection.execute(
                    "SELECT question, value FROM answers WHERE application_id = ? AND complete = 1",
                    (application_id,),
                )
            }
            found[user_id] = (status, reference, answers)
    return found


def differences(applicant: ApplicantResult, answers: dict[str, object]) -> str:
    keys = sorted(set(answers) | set(applicant.acknowledged))
    return f"user {applicant.user_id}: " + ", ".join(
        f"{key}: stored {answers.get(key)!r}, acknowledged {applicant.acknowledged.get(key)!r}"
        for key in keys
        if answers.get(key) != applicant.acknowledged.get(key)
    )


def test_200_applicants_at_once_all_sent_with_every_answer(load: Run) -> None:
    result = load.result
    failures = [f"user {user}: {error}" for user, error in result.failures.items()]
    assert not failures, f"{len(failures)} applicants failed; the first:\n" + "\n".join(
        failures[:3]
    )
    assert not result.unexpected, list(result.unexpected.items())[:3]
    stored = stored_applications(load.bot.database)
    assert len(stored) == APPLICANTS
    for applicant in result.applicants:
        status, reference, answers = stored[applicant.user_id]
        assert (status, reference) == ("submitted", applicant.reference)
        assert answers == applicant.acknowledged, differences(applicant, answers)
    log = load.bot.log_path.read_text(errors="replace")
    assert "Traceback" not in log and " ERROR " not in log, log[-3000:]
    print(
        f"\nload: {APPLICANTS} applicants, {result.seconds:.1f} s, "
        f"{result.updates_per_second:.1f} updates/s, step p95 {result.percentile(0.95):.2f} s"
    )


def leaks(log: str, applicants: list[ApplicantResult]) -> list[str]:
    found = [f"the token {TOKEN}" for _ in [1] if TOKEN in log or TOKEN.split(":")[1] in log]
    for applicant in applicants:
        found += [
            f"user {applicant.user_id}: {value!r}"
            for value in applicant.persona.personal_data()
            if value in log
        ]
    return found


def test_the_log_holds_no_personal_data_nor_the_token(load: Run) -> None:
    log = load.bot.log_path.read_text(errors="replace")
    assert "ready" in log  # the log was written
    assert not leaks(log, load.result.applicants)


def test_the_debug_log_holds_no_personal_data_nor_the_token(tmp_path: Path) -> None:
    run = crowd_run(tmp_path, 8, 480_001, LOG_LEVEL="DEBUG")
    assert not run.result.failures, run.result.failures
    log = run.bot.log_path.read_text(errors="replace")
    found = leaks(log, run.result.applicants)
    assert not found, found[:10]
