"""Names the dead-code check (vulture, in `make lint`) cannot see used: called by a library,
read by the tests on purpose, or catalogue data kept for the organizers' files.

Each line is a use vulture understands; the comment says who uses it.
"""

# python-telegram-bot calls these on our subclasses (BaseRateLimiter, BaseUpdateProcessor).
from bot.ratelimit import MessageRateLimiter
from bot.updates import PerUserOrder

MessageRateLimiter.process_request
PerUserOrder.do_process_update

# aiosqlite and sqlite3 read the row factory we set on a connection.
_.row_factory  # type: ignore[name-defined]  # noqa: F821

# Catalogue texts and records kept whole: validated in every organizer's file, shown nowhere
# yet (a market's and a pole's description; when a broadcast ended).
_.description  # type: ignore[name-defined]  # noqa: F821
_.finished_at  # type: ignore[name-defined]  # noqa: F821

# Tests record a user outside any update with `touch`; the bot itself uses `seen`.
from storage.users import UserRepository

UserRepository.touch

# Tests enumerate every button class to check routes and parsing.
from bot.callbacks import callback_classes

callback_classes

# tornado calls these on the webhook's handler; PTB's Application reads `updater` and calls
# `start_webhook` on it (bot/webhook.py).
from bot.webhook import UpdateHandler, WebhookUpdater

UpdateHandler.SUPPORTED_METHODS
UpdateHandler.prepare
UpdateHandler.data_received
UpdateHandler.post
UpdateHandler.log_exception
UpdateHandler.log_request
WebhookUpdater.start_webhook
_.updater  # type: ignore[name-defined]  # noqa: F821

# bot/arabic.py is shared with the stats chart (the data branch), which draws with
# matplotlib's DejaVu Sans; the poster has its own fonts (bot/views/lettering.py).
from bot.arabic import font_path

font_path

# The audit of an arrival: who marked it (read back by tests; /mydata and exports may show it).
from storage.stands import Arrival

Arrival.marked_by

# localbotapi (the local Bot API server): HTMLParser calls these on the parser of a message's
# HTML, and `with FakeTelegram(...)` passes the exception's type to __exit__.
from localbotapi.formatting import _TelegramHTML

_TelegramHTML.handle_starttag
_TelegramHTML.handle_endtag
_TelegramHTML.handle_data
_.exc_type  # type: ignore[name-defined]  # noqa: F821

# What the bot sent, recorded whole (a reply button's location request, a message's
# force_reply, an upload's form field), for tests to read; none does yet.
from localbotapi.models import BotMessage, ReplyButton, UploadedFile

ReplyButton.request_location
BotMessage.force_reply
UploadedFile.field_name
