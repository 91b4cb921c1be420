"""Everything the fake server knows. Lives in (and is only touched from) the fake's event loop.

The records it keeps are in `records.py`."""

from __future__ import annotations

import itertools
import mimetypes
import secrets
import time
from collections import deque

from .models import (
    JSONDict,
    RecordedCall,
    WebhookAttempt,
)
from .records import (
    FILE_KINDS,
    CallbackRecord,
    Chat,
    Signal,
    StoredFile,
    StoredMessage,
    UserProfile,
    copy_json,
    snapshot,
    update_kind,
)

# Update kinds Telegram delivers when `allowed_updates` is empty or was never set.
DEFAULT_UPDATE_KINDS = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)


class TelegramState:
    def __init__(self, token: str, bot_username: str, bot_first_name: str) -> None:
        self.token = token
        self.bot_user: JSONDict = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.users: dict[int, UserProfile] = {}
        self.chats: dict[int, Chat] = {}
        self.updates: deque[JSONDict] = deque()
        self.updates_signal = Signal()
        self.allowed_updates: frozenset[str] = DEFAULT_UPDATE_KINDS
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackRecord] = {}
        self.callback_query_ttl: float | None = None  # seconds a button press can be answered
        self.commands: dict[tuple[str, int | str | None, str | None], list[JSONDict]] = {}
        self.menu_buttons: dict[int | str | None, JSONDict] = {}
        self.bot_texts: dict[tuple[str, str | None], str] = {}
        self.webhook: JSONDict | None = None  # setWebhook's parameters while one is set
        self.webhook_last_error: tuple[int, str] | None = None  # (unix time, message)
        self.webhook_attempts: list[WebhookAttempt] = []
        self.blocked: set[int] = set()
        self.calls: list[RecordedCall] = []
        self.closing = False
        self._update_ids = itertools.count(700_000_001)
        self._file_numbers = itertools.count(1)
        self._query_ids = itertools.count(4_382_749_823_749_820_001, 7919)

    # -- users and chats ---------------------------------------------------------------------

    def chat(self, chat_id: int | str | None) -> Chat | None:
        if isinstance(chat_id, int):
            return self.chats.get(chat_id)
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == name:
                    return chat
        return None

    # -- updates -----------------------------------------------------------------------------

    def enqueue(self, kind: str, payload: JSONDict) -> JSONDict:
        return self.enqueue_raw({kind: payload})

    def enqueue_raw(self, update: JSONDict) -> JSONDict:
        """Queue an update (assigning its update_id) unless `allowed_updates` excludes it."""
        body = {key: value for key, value in update.items() if key != "update_id"}
        update = {"update_id": next(self._update_ids), **body}
        if update_kind(update) in self.allowed_updates:
            self.updates.append(update)
            self.updates_signal.fire()
        return update

    def set_allowed_updates(self, kinds: list[str]) -> None:
        """What getUpdates/setWebhook `allowed_updates` does: an empty list means the default."""
        self.allowed_updates = frozenset(kinds) or DEFAULT_UPDATE_KINDS
        self.updates = deque(u for u in self.updates if update_kind(u) in self.allowed_updates)

    def confirm(self, offset: int | None) -> None:
        """Forget updates below `offset` (negative: keep only the last -offset ones)."""
        if offset is None:
            return
        if offset < 0:
            while len(self.updates) > -offset:
                self.updates.popleft()
            return
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()

    def pending(self, limit: int) -> list[JSONDict]:
        return list(itertools.islice(self.updates, limit))

    # -- files -------------------------------------------------------------------------------

    def register_file(
        self,
        kind: str,
        content: bytes | None,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        url: str | None = None,
    ) -> StoredFile:
        prefix, folder, default_ext, default_mime = FILE_KINDS.get(
            kind, ("BQACAgQAAxkBAAI", "documents", "bin", "application/octet-stream")
        )
        number = next(self._file_numbers)
        ext = default_ext
        if file_name and "." in file_name:
            ext = file_name.rsplit(".", 1)[1].lower() or default_ext
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        if mime_type is None and kind != "document":
            mime_type = default_mime
        stored = StoredFile(
            kind=kind,
            file_id=prefix + secrets.token_urlsafe(42)[:56],
            file_unique_id="AQAD" + secrets.token_urlsafe(9)[:12],
            file_path=f"{folder}/file_{number}.{ext}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
            url=url,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    # -- messages ----------------------------------------------------------------------------

    def _reply_dict(self, chat: Chat, reply_to: int | None) -> JSONDict | None:
        if reply_to is None:
            return None
        stored = chat.messages.get(reply_to)
        if stored is None or stored.deleted:
            return None
        replied = dict(stored.message)
        replied.pop("reply_to_message", None)
        return replied

    def add_user_message(
        self,
        user: UserProfile,
        chat: Chat,
        content: JSONDict,
        *,
        reply_to: int | None = None,
    ) -> StoredMessage:
        message: JSONDict = {
            "message_id": chat.next_message_id(),
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": int(time.time()),
        }
        replied = self._reply_dict(chat, reply_to)
        if replied is not None:
            message["reply_to_message"] = replied
        message.update(content)
        stored = StoredMessage(message=message, from_bot=False, method="user")
        chat.messages[stored.message_id] = stored
        self.enqueue("message", copy_json(message))
        return stored

    def add_bot_message(
        self,
        chat: Chat,
        method: str,
        content: JSONDict,
        *,
        raw_text: str | None = None,
        parse_mode: str | None = None,
        reply_markup: JSONDict | None = None,
        attachment: StoredFile | None = None,
        reply_to: int | None = None,
    ) -> StoredMessage:
        message: JSONDict = {
            "message_id": chat.next_message_id(),
            "from": dict(self.bot_user),
            "chat": chat.to_dict(),
            "date": int(time.time()),
        }
        replied = self._reply_dict(chat, reply_to)
        if replied is not None:
            message["reply_to_message"] = replied
        message.update(content)
        if reply_markup and "inline_keyboard" in reply_markup:
            message["reply_markup"] = reply_markup
        stored = StoredMessage(
            message=message,
            from_bot=True,
            method=method,
            raw_text=raw_text,
            parse_mode=parse_mode,
            reply_markup=reply_markup,
            attachment=attachment,
        )
        chat.messages[stored.message_id] = stored
        if reply_markup:
            if "keyboard" in reply_markup:
                chat.reply_keyboard = reply_markup
            elif reply_markup.get("remove_keyboard"):
                chat.reply_keyboard = None
        self.emit(chat, stored)
        return stored

    def emit(self, chat: Chat, stored: StoredMessage) -> None:
        chat.events.append(snapshot(stored))
        chat.signal.fire()

    def next_query_id(self) -> str:
        return str(next(self._query_ids))
