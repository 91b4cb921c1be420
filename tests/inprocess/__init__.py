"""The real application in-process against the fake Bot API (`harness.py`): what the property
tests in tests/fuzz/ and any example-based handler test drive, without a subprocess."""
