"""FakeUser: one scripted Telegram user in one chat with the bot."""

from __future__ import annotations

import time
from typing import Any

from .formatting import command_entities
from .models import JSONDict
from .records import (
    copy_json,
    reply_buttons,
)
from .user_buttons import Buttons
from .user_core import FAKE_JPEG, FAKE_OGG, FAKE_PDF, FAKE_WEBP
from .user_reading import Reading


class FakeUser(Buttons, Reading):
    """A user in a chat with the bot. Get one with `FakeTelegram.user(...)`.

    Every blocking method has an `a...` coroutine twin (`asend_text`, `aexpect_message`...)
    usable from any event loop, including the fake's own.
    """

    def in_group(
        self, chat_id: int, *, chat_type: str = "group", title: str | None = None
    ) -> FakeUser:
        """The same user writing in group `chat_id`."""
        return self._fake.user(self.id, chat_id=chat_id, chat_type=chat_type, chat_title=title)

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

    async def atap(self, text: str, *, phone_number: str = "212600000000") -> JSONDict:
        return await self._in_fake_loop(self.tap, text, phone_number=phone_number)
