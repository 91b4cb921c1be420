"""One real application per test module, in-process, against the fake Bot API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.inprocess.harness import Harness


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    running = Harness(tmp_path_factory.mktemp("inprocess")).start()
    try:
        yield running
    finally:
        running.close()
