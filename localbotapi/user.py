"""FakeUser: one scripted Telegram user in one chat with the bot."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .formatting import command_entities
from .models import BotMessage, JSONDict
from .state import (
    CallbackRecord,
    Chat,
    StoredMessage,
    TelegramState,
    UserProfile,
    copy_json,
    reply_buttons,
    snapshot,
)

if TYPE_CHECKING:
    from .server import FakeTelegram

# Plausible magic bytes, so code sniffing file types is not fooled; not decodable media.
FAKE_JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)
FAKE_OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"OpusHead\x01\x01" + b"\x00" * 64
FAKE_PDF = b"%PDF-1.4\n% fake document\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
FAKE_WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32

_HISTORY = 8  # events shown in assertion messages

T = TypeVar("T")


class FakeUser:
    """A user in a chat with the bot. Get one with `FakeTelegram.user(...)`.

    Every blocking method has an `a...` coroutine twin (`asend_text`, `aexpect_message`...)
    usable from any event loop, including the fake's own.
    """

    def __init__(
        self, fake: FakeTelegram, state: TelegramState, profile: UserProfile, chat: Chat
    ) -> None:
        self._fake = fake
        self._state = state
        self._profile = profile
        self._chat = chat

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, chat_id={self.chat_id}, chat_type={self.chat_type!r})"

    @property
    def id(self) -> int:
        return self._profile.id

    @property
    def chat_id(self) -> int:
        return self._chat.id

    @property
    def chat_type(self) -> str:
        return self._chat.type

    @property
    def first_name(self) -> str:
        return self._profile.first_name

    @property
    def language_code(self) -> str | None:
        return self._profile.language_code

    def in_group(
        self, chat_id: int, *, chat_type: str = "group", title: str | None = None
    ) -> FakeUser:
        """The same user writing in group `chat_id`."""
        return self._fake.user(self.id, chat_id=chat_id, chat_type=chat_type, chat_title=title)

    # -- sending (each returns the Telegram Message dict the bot receives) --------------------

    def _post(self, content: JSONDict, reply_to: int | None = None) -> JSONDict:
        stored = self._state.add_user_message(self._profile, self._chat, content, reply_to=reply_to)
        return copy_json(stored.message)

    def send_text(
        self,
        text: str,
        *,
        entities: list[JSONDict] | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        """A text message; "/command" tokens get `bot_command` entities like real clients."""
        content: JSONDict = {"text": text}
        found = command_entities(text) if entities is None else entities
        if found:
            content["entities"] = found
        return self._fake.call(self._post, content, reply_to)

    def send_command(self, command: str, *args: str, mention_bot: bool = False) -> JSONDict:
        """`/command arg1 arg2`; with `mention_bot` the command reads `/command@bot_username`."""
        name = command if command.startswith("/") else f"/{command}"
        if mention_bot:
            name = f"{name}@{self._state.bot_user['username']}"
        return self.send_text(" ".join([name, *args]))

    def send_contact(
        self,
        phone_number: str,
        user_id: int | None = None,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        include_user_id: bool = True,
    ) -> JSONDict:
        """A shared contact; by default the user's own (user_id = own id, own first name)."""
        own = user_id is None or user_id == self.id
        contact: JSONDict = {
            "phone_number": phone_number,
            "first_name": first_name or (self.first_name if own else "Contact"),
        }
        if last_name:
            contact["last_name"] = last_name
        if include_user_id:
            contact["user_id"] = self.id if user_id is None else user_id
        return self._fake.call(self._post, {"contact": contact})

    def send_location(
        self, latitude: float, longitude: float, *, live_period: int | None = None
    ) -> JSONDict:
        location: JSONDict = {"latitude": latitude, "longitude": longitude}
        if live_period is not None:
            location["live_period"] = live_period
        return self._fake.call(self._post, {"location": location})

    def send_photo(
        self,
        *,
        caption: str | None = None,
        content: bytes | None = None,
        width: int = 1280,
        height: int = 960,
    ) -> JSONDict:
        """A photo as Telegram delivers it: two PhotoSize entries (thumbnail, full size)."""

        def build() -> JSONDict:
            data = content if content is not None else FAKE_JPEG
            sizes: list[JSONDict] = []
            for scale_w, scale_h in ((90, round(90 * height / width)), (width, height)):
                file = self._state.register_file("photo", data, mime_type="image/jpeg")
                sizes.append(
                    {
                        "file_id": file.file_id,
                        "file_unique_id": file.file_unique_id,
                        "file_size": len(data),
                        "width": scale_w,
                        "height": scale_h,
                    }
                )
            message: JSONDict = {"photo": sizes}
            if caption:
                message["caption"] = caption
            return self._post(message)

        return self._fake.call(build)

    def send_voice(
        self, duration: int = 3, *, content: bytes | None = None, mime_type: str = "audio/ogg"
    ) -> JSONDict:
        """A voice note; `mime_type` as the client recorded it (Telegram's apps send Ogg/Opus,
        the sandbox's browser page what the browser records)."""

        def build() -> JSONDict:
            data = content if content is not None else FAKE_OGG
            file = self._state.register_file("voice", data, mime_type=mime_type)
            voice: JSONDict = {
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "duration": duration,
                "mime_type": mime_type,
                "file_size": len(data),
            }
            return self._post({"voice": voice})

        return self._fake.call(build)

    def send_document(
        self,
        file_name: str = "document.pdf",
        *,
        content: bytes | None = None,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> JSONDict:
        def build() -> JSONDict:
            data = content if content is not None else FAKE_PDF
            file = self._state.register_file(
                "document", data, file_name=file_name, mime_type=mime_type
            )
            message: JSONDict = {"document": file.media_dict()}
            if caption:
                message["caption"] = caption
            return self._post(message)

        return self._fake.call(build)

    def send_sticker(self, emoji: str = "👍", *, set_name: str | None = None) -> JSONDict:
        def build() -> JSONDict:
            file = self._state.register_file("sticker", FAKE_WEBP, mime_type="image/webp")
            sticker: JSONDict = {
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": emoji,
                "file_size": len(FAKE_WEBP),
            }
            if set_name:
                sticker["set_name"] = set_name
            return self._post({"sticker": sticker})

        return self._fake.call(build)

    def forward_text(
        self, text: str, *, sender: FakeUser | None = None, hidden_name: str | None = None
    ) -> JSONDict:
        """A text message this user forwards into the chat, written earlier by `sender`.

        Telegram names the author in `forward_origin`: a MessageOriginUser with the author's
        account, or, when the author's privacy settings hide it from forwards, a
        MessageOriginHiddenUser with only a name (`hidden_name`) and no id
        (https://core.telegram.org/bots/api#messageorigin). No command entities: the text was
        written elsewhere."""
        date = int(time.time()) - 60
        if sender is not None:
            origin: JSONDict = {
                "type": "user",
                "date": date,
                "sender_user": sender._profile.to_dict(),
            }
        else:
            origin = {"type": "hidden_user", "date": date, "sender_user_name": hidden_name or ""}
        return self._fake.call(self._post, {"text": text, "forward_origin": origin})

    def send_raw(self, content: JSONDict, *, reply_to: int | None = None) -> JSONDict:
        """A message with hand-made content fields (e.g. `{"video": {...}}`)."""
        return self._fake.call(self._post, dict(content), reply_to)

    def edit_message(self, message_id: int, text: str) -> JSONDict:
        """The user edits their own earlier text message: an `edited_message` update."""

        def edit() -> JSONDict:
            stored = self._chat.messages.get(message_id)
            if stored is None or stored.from_bot or stored.deleted:
                raise AssertionError(f"user {self.id} has no message #{message_id} to edit")
            message = stored.message
            key = "text" if "text" in message or "caption" not in message else "caption"
            message[key] = text
            entities = command_entities(text) if key == "text" else []
            entity_key = "entities" if key == "text" else "caption_entities"
            if entities:
                message[entity_key] = entities
            else:
                message.pop(entity_key, None)
            message["edit_date"] = max(int(message["date"]), int(time.time()))
            stored.edited = True
            self._state.enqueue("edited_message", copy_json(message))
            return copy_json(message)

        return self._fake.call(edit)

    def tap(self, text: str, *, phone_number: str = "212600000000") -> JSONDict:
        """Press a button of the reply keyboard currently shown.

        Sends the button's text, or for a `request_contact` button the user's own contact
        with `phone_number` (Telegram sends it without "+").
        """

        def press() -> JSONDict:
            keyboard = self._chat.reply_keyboard
            for row in reply_buttons(keyboard) or []:
                for button in row:
                    if button.text != text:
                        continue
                    if keyboard is not None and keyboard.get("one_time_keyboard"):
                        self._chat.reply_keyboard = None
                    if button.request_contact:
                        return self._post(
                            {
                                "contact": {
                                    "phone_number": phone_number,
                                    "first_name": self.first_name,
                                    "user_id": self.id,
                                }
                            }
                        )
                    content: JSONDict = {"text": text}
                    return self._post(content)
            shown = [b.text for row in reply_buttons(keyboard) or [] for b in row]
            raise AssertionError(f"no reply-keyboard button {text!r} shown; keyboard: {shown}")

        return self._fake.call(press)

    # -- inline buttons ----------------------------------------------------------------------

    def press(
        self,
        text: str | None = None,
        *,
        callback_data: str | None = None,
        message_id: int | None = None,
    ) -> str:
        """Press an inline button by exact text and/or callback data; returns the query id.

        Without `message_id` the newest bot message with such a button is used. With it, that
        message is used, also matching keyboards it showed before being edited (stale taps).
        """
        if text is None and callback_data is None:
            raise ValueError("press() needs the button text or callback_data")
        return self._fake.call(self._press, text, callback_data, message_id)

    def _press(self, text: str | None, callback_data: str | None, message_id: int | None) -> str:
        def matches(button: JSONDict) -> bool:
            return (text is None or button.get("text") == text) and (
                callback_data is None or button.get("callback_data") == callback_data
            )

        if message_id is not None:
            stored = self._chat.messages.get(message_id)
            if stored is None or not stored.from_bot:
                raise AssertionError(f"no bot message #{message_id} in chat {self.chat_id}")
            candidates = [stored]
        else:
            candidates = sorted(self._chat.bot_messages(), key=lambda m: m.message_id, reverse=True)
        for stored in candidates:
            markups = [stored.inline_markup] if stored.inline_markup else []
            if message_id is not None:
                markups += list(reversed(stored.past_inline_markups))
            for markup in markups:
                for row in markup.get("inline_keyboard", []):
                    for button in row:
                        if not matches(button):
                            continue
                        data = button.get("callback_data")
                        if data is None:
                            raise AssertionError(
                                f"button {button.get('text')!r} has no callback_data: {button}"
                            )
                        return self._send_callback(stored, str(data))
        wanted = text if text is not None else f"callback_data={callback_data!r}"
        shown = [snap.describe() for snap in self._current_messages()[-_HISTORY:]]
        raise AssertionError(
            f"no inline button {wanted!r} in chat {self.chat_id}; bot messages:\n  "
            + "\n  ".join(shown or ["(none)"])
        )

    def press_data(self, data: str, *, message_id: int | None = None) -> str:
        """A callback query with arbitrary (e.g. forged) data on a bot message."""

        def forge() -> str:
            if message_id is not None:
                stored = self._chat.messages.get(message_id)
                if stored is None or not stored.from_bot:
                    raise AssertionError(f"no bot message #{message_id} in chat {self.chat_id}")
            else:
                messages = self._chat.bot_messages()
                if not messages:
                    raise AssertionError(f"no bot message in chat {self.chat_id} to press on")
                stored = max(messages, key=lambda m: m.message_id)
            return self._send_callback(stored, data)

        return self._fake.call(forge)

    def _send_callback(self, stored: StoredMessage, data: str) -> str:
        query_id = self._state.next_query_id()
        self._state.callback_queries[query_id] = CallbackRecord(
            id=query_id, chat_id=self.chat_id, message_id=stored.message_id, data=data
        )
        self._state.enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": self._profile.to_dict(),
                "message": copy_json(stored.message),
                "chat_instance": self._chat.chat_instance(),
                "data": data,
            },
        )
        return query_id

    def callback_answer(self, query_id: str, timeout: float = 5.0) -> JSONDict:
        """The answerCallbackQuery parameters (text, show_alert, url, cache_time); all empty
        when the bot answered after the query expired (`callback_query_ttl`)."""
        return self._fake.run_coroutine(self.acallback_answer(query_id, timeout))

    async def acallback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - mirrors callback_answer(timeout=)
    ) -> JSONDict:
        return await self._fake.arun(self._callback_answer(query_id, timeout))

    async def _callback_answer(self, query_id: str, seconds: float) -> JSONDict:
        record = self._state.callback_queries.get(query_id)
        if record is None:
            raise AssertionError(f"unknown callback query {query_id!r}")
        answered = await self._chat.signal.wait_for(
            lambda: record.answer is not None or record.expired, seconds
        )
        if answered and record.expired:
            # The bot tried, too late for Telegram: the user's spinner just stops. Scripts that
            # wait for the answer to know the press was handled go on.
            return {"text": None, "show_alert": False, "url": None, "cache_time": None}
        if not answered or record.answer is None:
            raise AssertionError(
                f"the bot did not answer callback query {query_id} ({record.data!r}) "
                f"within {seconds}s"
            )
        return dict(record.answer)

    # -- reading what the bot did ------------------------------------------------------------

    def expect_message(self, timeout: float = 10.0, contains: str | None = None) -> BotMessage:
        """The next unconsumed bot event in this chat (a new message or an edit).

        With `contains`, that event's text must contain it (it is not skipped otherwise).
        """
        return self._fake.run_coroutine(self.aexpect_message(timeout, contains))

    async def aexpect_message(
        self,
        timeout: float = 10.0,  # noqa: ASYNC109 - mirrors expect_message(timeout=)
        contains: str | None = None,
    ) -> BotMessage:
        return await self._fake.arun(self._expect_message(timeout, contains))

    async def _expect_message(self, seconds: float, contains: str | None) -> BotMessage:
        chat = self._chat
        arrived = await chat.signal.wait_for(lambda: len(chat.events) > chat.cursor, seconds)
        if not arrived:
            raise AssertionError(
                f"no new bot message in chat {self.chat_id} within {seconds}s"
                + (f" (expected one containing {contains!r})" if contains else "")
                + "\n"
                + self._history()
            )
        event = chat.events[chat.cursor]
        chat.cursor += 1
        if contains is not None and contains not in (event.text or ""):
            raise AssertionError(
                f"next bot message in chat {self.chat_id} does not contain {contains!r}:\n  "
                f"{event.describe()}\n{self._history()}"
            )
        return event

    def expect_no_message(self, within: float = 1.0) -> None:
        """Assert the bot sends or edits nothing in this chat during `within` seconds."""
        self._fake.run_coroutine(self.aexpect_no_message(within))

    async def aexpect_no_message(self, within: float = 1.0) -> None:
        await self._fake.arun(self._expect_no_message(within))

    async def _expect_no_message(self, within: float) -> None:
        chat = self._chat
        arrived = await chat.signal.wait_for(lambda: len(chat.events) > chat.cursor, within)
        if arrived:
            unexpected = chat.events[chat.cursor :]
            raise AssertionError(
                f"expected no bot message in chat {self.chat_id}, got:\n  "
                + "\n  ".join(event.describe() for event in unexpected)
            )

    def drain(self) -> list[BotMessage]:
        """Mark every pending event consumed; returns them."""

        def consume() -> list[BotMessage]:
            pending = self._chat.events[self._chat.cursor :]
            self._chat.cursor = len(self._chat.events)
            return pending

        return self._fake.call(consume)

    async def adrain(self) -> list[BotMessage]:
        return self.drain()

    def _current_messages(self) -> list[BotMessage]:
        messages = sorted(self._chat.bot_messages(), key=lambda m: m.message_id)
        return [snapshot(stored) for stored in messages]

    @property
    def messages(self) -> list[BotMessage]:
        """The bot's messages in this chat as they are now (edits applied, deletions gone)."""
        return self._fake.call(self._current_messages)

    @property
    def last_message(self) -> BotMessage | None:
        messages = self.messages
        return messages[-1] if messages else None

    @property
    def events(self) -> list[BotMessage]:
        """Every bot event (message or edit) in this chat so far, consumed or not."""
        return self._fake.call(lambda: list(self._chat.events))

    @property
    def deleted_message_ids(self) -> list[int]:
        return self._fake.call(
            lambda: sorted(i for i, m in self._chat.messages.items() if m.deleted)
        )

    @property
    def chat_actions(self) -> list[str]:
        """sendChatAction actions the bot sent to this chat, in order."""
        return self._fake.call(lambda: list(self._chat.chat_actions))

    def _history(self) -> str:
        chat = self._chat
        lines = [f"recent bot events in chat {chat.id} (newest last):"]
        recent = chat.events[-_HISTORY:]
        lines += [f"  {event.describe()}" for event in recent] or ["  (none)"]
        failures = [
            call
            for call in self._state.calls
            if not call.ok and call.params.get("chat_id") == chat.id
        ][-_HISTORY:]
        if failures:
            lines.append("failed API calls for this chat:")
            lines += [
                f"  {call.method} -> {call.status} {call.response.get('description')}"
                for call in failures
            ]
        return "\n".join(lines)

    # -- async twins of the sending methods --------------------------------------------------

    async def asend_text(
        self,
        text: str,
        *,
        entities: list[JSONDict] | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        return await self._in_fake_loop(self.send_text, text, entities=entities, reply_to=reply_to)

    async def asend_command(self, command: str, *args: str, mention_bot: bool = False) -> JSONDict:
        return await self._in_fake_loop(self.send_command, command, *args, mention_bot=mention_bot)

    async def asend_contact(
        self, phone_number: str, user_id: int | None = None, **kwargs: Any
    ) -> JSONDict:
        return await self._in_fake_loop(self.send_contact, phone_number, user_id, **kwargs)

    async def asend_photo(self, **kwargs: Any) -> JSONDict:
        return await self._in_fake_loop(self.send_photo, **kwargs)

    async def asend_voice(self, duration: int = 3, **kwargs: Any) -> JSONDict:
        return await self._in_fake_loop(self.send_voice, duration, **kwargs)

    async def asend_document(self, file_name: str = "document.pdf", **kwargs: Any) -> JSONDict:
        return await self._in_fake_loop(self.send_document, file_name, **kwargs)

    async def asend_sticker(self, emoji: str = "👍", **kwargs: Any) -> JSONDict:
        return await self._in_fake_loop(self.send_sticker, emoji, **kwargs)

    async def asend_location(self, latitude: float, longitude: float, **kwargs: Any) -> JSONDict:
        return await self._in_fake_loop(self.send_location, latitude, longitude, **kwargs)

    async def aedit_message(self, message_id: int, text: str) -> JSONDict:
        return await self._in_fake_loop(self.edit_message, message_id, text)

    async def atap(self, text: str, *, phone_number: str = "212600000000") -> JSONDict:
        return await self._in_fake_loop(self.tap, text, phone_number=phone_number)

    async def apress(
        self,
        text: str | None = None,
        *,
        callback_data: str | None = None,
        message_id: int | None = None,
    ) -> str:
        return await self._in_fake_loop(
            self.press, text, callback_data=callback_data, message_id=message_id
        )

    async def apress_data(self, data: str, *, message_id: int | None = None) -> str:
        return await self._in_fake_loop(self.press_data, data, message_id=message_id)

    async def _in_fake_loop(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a non-blocking sender in the fake's loop without blocking the caller's loop."""

        async def run() -> T:
            return fn(*args, **kwargs)

        return await self._fake.arun(run())
