"""The property tests drive the in-process application of tests/inprocess/."""

from tests.inprocess.conftest import harness

__all__ = ["harness"]
