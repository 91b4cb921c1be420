"""The composition root: Telegram is asked only for the update kinds some handler takes."""

from __future__ import annotations

import importlib
import pkgutil

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
)

import bot.handlers
from bot.app import ALLOWED_UPDATES, FEATURES, build_application
from bot.catalogue import Catalogue
from bot.config import load_settings


def kinds(handler: BaseHandler[Update, object, object]) -> set[str]:
    """The update kinds a handler can take (TypeHandler(Update): any)."""
    if isinstance(handler, TypeHandler):
        return set()
    if isinstance(handler, CallbackQueryHandler):
        return {Update.CALLBACK_QUERY}
    if isinstance(handler, CommandHandler):
        return {Update.MESSAGE}
    if isinstance(handler, MessageHandler):
        edited = "UpdateType.EDITED_MESSAGE" in repr(handler.filters)
        return {Update.EDITED_MESSAGE} if edited else {Update.MESSAGE}
    raise AssertionError(f"{type(handler).__name__}: which update kind? add it to this test")


def test_every_handler_takes_an_allowed_update_kind(catalogue: Catalogue) -> None:
    application = build_application(load_settings({"BOT_TOKEN": "1:abc"}), catalogue)
    handled = set()
    for group in application.handlers.values():
        for handler in group:
            handled |= kinds(handler)
    assert handled == set(ALLOWED_UPDATES)


def test_every_feature_module_is_registered() -> None:
    """A handler module that lists handlers but is missing from FEATURES would never answer."""
    listing = {
        info.name
        for info in pkgutil.iter_modules(bot.handlers.__path__)
        if hasattr(importlib.import_module(f"bot.handlers.{info.name}"), "handlers")
    }
    registered = {feature.__name__.rsplit(".", 1)[1] for feature in FEATURES}
    assert listing == registered
