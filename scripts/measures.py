"""The measures of issue 14, printed: what each vocabulary and layer rule leaves behind.

    .venv/bin/python -m scripts.measures

- status literals: string constants in bot/ and storage/ (docstrings excluded) equal to a
  `Status` value, or quoting one in SQL (`'accepted'`), outside `storage/statuses.py` and
  `bot/statuses.py`; the same words in other vocabularies (an announcement's "draft", an
  audience named "accepted", listed in tests/storage/test_statuses.py) are counted apart.
  Migrations are .sql files: not read (they must spell statuses, once, as they were).
- template literals: the same for the outbox's templates, outside `storage/templates.py`
  ("broadcast" is also a delivery kind, a command and a permission: not counted).
- routes without a producer: button routes registered in bot/app.py whose class no code in
  bot/ builds (the definition of tests/bot/test_callbacks.py).
- modules over 400 lines in bot/ (the sandbox, bot/sandbox/, included), storage/,
  localbotapi/, bench/, tests/, scripts/.
- upward imports: storage importing bot; bot/services or bot/views importing bot.handlers;
  bot/services importing bot.views; localbotapi (a local Bot API server, under the bot)
  importing bot; bot, storage or localbotapi importing tests (the sandbox serves
  localbotapi, never the tests' helpers).
- callers of `refresh_reminders` outside the decision door (bot/services/decisions.py).
- dead code: what vulture reports, run as `make lint` runs it (scripts/deadcode.py).

tests/test_layout.py fails on a long module or an upward import; the others have their tests.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from scripts.deadcode import unused

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400
FOLDERS = ("bot", "storage", "localbotapi", "bench", "tests", "scripts")
# The product's packages: what the upward-import rule reads.
PRODUCT = ("bot", "storage", "localbotapi")
STATUS_HOMES = {"storage/statuses.py", "bot/statuses.py"}
DOOR = "bot/services/decisions.py"


def _sources(*folders: str) -> Iterator[tuple[str, ast.Module]]:
    for folder in folders:
        for path in sorted(ROOT.joinpath(folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text("utf-8"))


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def status_literals() -> tuple[list[str], list[str]]:
    """(outside their home, in another vocabulary), as `path:line value`."""
    from storage.statuses import Status
    from tests.storage.test_statuses import OTHER_VOCABULARIES

    values = {status.value for status in Status}
    outside, other = [], []
    for relative, tree in _sources("bot", "storage"):
        if relative in STATUS_HOMES:
            continue
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                continue
            if id(node) in docstrings:
                continue
            for value in sorted(v for v in values if node.value == v or f"'{v}'" in node.value):
                found = f"{relative}:{node.lineno} {value}"
                (other if (relative, value) in OTHER_VOCABULARIES else outside).append(found)
    return outside, other


def template_literals() -> list[str]:
    try:
        from storage.templates import Template
    except ImportError:  # before issue 14: the keys were spelled where they were used
        values = {"decision", "phase_soon", "training_soon", "confirm_soon", "draft_deadline"}
        values |= {"broadcast_report", "error_report", "outbox_interrupted"}
        values |= {"outbox_undelivered", "outbox_outage", "outbox_recovered"}
    else:
        values = {template.value for template in Template} - {Template.BROADCAST.value}
    found = []
    for relative, tree in _sources("bot", "storage"):
        if relative == "storage/templates.py":
            continue
        docstrings = _docstrings(tree)
        found += [
            f"{relative}:{node.lineno} {node.value}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and node.value in values
            and id(node) not in docstrings
        ]
    return found


def routes_without_producer() -> list[str]:
    from bot.callbacks import callback_classes
    from bot.catalogue import DEFAULT_CATALOGUE_PATH, load_catalogue
    from tests.bot.test_callbacks import produced, routed

    by_pattern = {kind.pattern(): kind for kind in callback_classes()}
    patterns = routed(load_catalogue(DEFAULT_CATALOGUE_PATH))
    made = produced()
    return sorted(
        by_pattern[pattern].__name__ if pattern in by_pattern else pattern
        for pattern in patterns
        if pattern not in by_pattern or by_pattern[pattern].__name__ not in made
    )


def long_modules(limit: int = MAX_LINES) -> list[str]:
    found = []
    for folder in FOLDERS:
        for path in sorted(ROOT.joinpath(folder).rglob("*.py")):
            lines = len(path.read_text("utf-8").splitlines())
            if lines > limit:
                found.append(f"{path.relative_to(ROOT).as_posix()} {lines}")
    return found


def _imported(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            yield from ((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)


def is_upward(importer: str, imported: str) -> bool:
    def under(name: str, package: str) -> bool:
        return name == package or name.startswith(package + ".")

    if under(imported, "tests"):
        return True
    if importer.startswith(("storage/", "localbotapi/")):
        return under(imported, "bot")
    if importer.startswith(("bot/services/", "bot/views/")) and under(imported, "bot.handlers"):
        return True
    return importer.startswith("bot/services/") and under(imported, "bot.views")


def upward_imports() -> list[str]:
    found = []
    for relative, tree in _sources(*PRODUCT):
        found += sorted(
            {
                f"{relative}:{line} {name}"
                for line, name in _imported(tree)
                if is_upward(relative, name)
            }
        )
    return found


def refresh_reminders_callers() -> list[str]:
    found = []
    for relative, tree in _sources("bot", "storage"):
        if relative == DOOR:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                callee = node.func
                name = callee.attr if isinstance(callee, ast.Attribute) else None
                name = callee.id if isinstance(callee, ast.Name) else name
                if name == "refresh_reminders":
                    found.append(f"{relative}:{node.lineno}")
    return found


def dead_code() -> list[str]:
    found, _ = unused()
    return found


def main() -> None:
    outside, other = status_literals()
    measures = [
        ("status literals outside their home", outside),
        ("outbox template literals outside their home", template_literals()),
        ("routes without a producer", routes_without_producer()),
        (f"modules over {MAX_LINES} lines", long_modules()),
        ("upward imports", upward_imports()),
        ("callers of refresh_reminders outside the door", refresh_reminders_callers()),
        ("dead code (vulture)", dead_code()),
    ]
    for title, found in measures:
        print(f"{title}: {len(found)}")
        for item in found:
            print(f"    {item}")
    print(f"(status words of other vocabularies, allowed: {len(other)})")


if __name__ == "__main__":
    main()
