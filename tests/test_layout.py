"""The house's shape: no module over 400 lines, no import up the layers (scripts/measures.py
prints the same measures, with the others of issue 14)."""

from __future__ import annotations

from scripts.measures import FOLDERS, MAX_LINES, PRODUCT, is_upward, long_modules, upward_imports


def test_no_module_is_over_400_lines() -> None:
    assert MAX_LINES == 400
    assert long_modules() == []


def test_the_rule_names_each_upward_import() -> None:
    assert is_upward("storage/outbox.py", "bot.i18n")
    assert is_upward("bot/services/outbox.py", "bot.handlers.common")
    assert is_upward("bot/views/info.py", "bot.handlers")
    assert is_upward("bot/services/exports.py", "bot.views.application")
    assert not is_upward("bot/handlers/info.py", "bot.views.info")
    assert not is_upward("bot/views/info.py", "bot.services.applications")
    assert not is_upward("storage/outbox.py", "storage.templates")
    assert not is_upward("bot/services/bots.py", "bot.viewsx")
    assert is_upward("localbotapi/server.py", "bot.config")
    assert is_upward("bot/sandbox/web.py", "tests.e2e.journey")
    assert is_upward("localbotapi/user.py", "tests.localbotapi.conftest")
    assert not is_upward("bot/sandbox/web.py", "localbotapi.server")
    assert not is_upward("localbotapi/api.py", "localbotapi.params")
    assert not is_upward("bot/app.py", "bot.handlers.team")


def test_the_rules_read_the_local_bot_api_and_the_sandbox() -> None:
    """localbotapi/ is a product package (the sandbox serves it): its modules are measured,
    and its imports, and the sandbox's, are checked like the bot's."""
    assert "localbotapi" in FOLDERS and "localbotapi" in PRODUCT
    measured = {path.split(" ")[0] for path in long_modules(limit=0)}
    assert "localbotapi/server.py" in measured and "bot/sandbox/web.py" in measured


def test_no_import_runs_up_the_layers() -> None:
    assert upward_imports() == []
