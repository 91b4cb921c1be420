# Two commands for a fresh machine: `make run` starts the bot, `make test` runs every check.
# Each creates the virtual environment and installs what is missing first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint messages bench demo

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot

# The sandbox: the real bot, a local Bot API server and a chat page on 127.0.0.1; no token.
demo: $(STAMP)
	$(PY) -m bot.sandbox

# The dead-code check (scripts/deadcode.py) is vulture, the tests read as localbotapi's users.
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m scripts.deadcode

test: lint
	$(PY) -m pytest

# Re-extract the French msgids from the code and merge them into every catalog.
messages: $(STAMP)
	$(PY) scripts/messages.py

bench: $(STAMP)
	$(PY) -m bench
