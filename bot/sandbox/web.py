"""The sandbox's page and its small JSON API, served on 127.0.0.1 next to the local Bot API.

Each person on the page is a `FakeUser` of the local server: what they send goes to the bot as
a Telegram update; what the page shows is the chat as the local server holds it (edits applied,
deleted messages gone), read every second by the page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.sandbox.samples import VOICE_SECONDS, sample_photo, sample_voice
from localbotapi import FakeTelegram, FakeUser

MAX_UPLOAD = 20 * 1024 * 1024  # Telegram's own limit for files a bot downloads


@dataclass(frozen=True)
class Person:
    """Someone on the page: a Telegram user of the local server."""

    id: int
    name: str
    language_code: str
    role: str  # shown on the page: "membre", "organisatrice"…
    phone: str  # what the share-contact button sends, as Telegram does (no "+")


def message_view(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One message as the page draws it."""
    message = entry["message"]
    view: dict[str, Any] = {
        "id": message["message_id"],
        "from_bot": entry["from_bot"],
        "edited": entry["edited"],
        "text": message.get("text") or message.get("caption") or "",
    }
    markup = message.get("reply_markup") or {}
    view["buttons"] = [
        [
            {"text": b.get("text", ""), "data": b.get("callback_data"), "url": b.get("url")}
            for b in row
        ]
        for row in markup.get("inline_keyboard", [])
    ]
    for kind in ("document", "voice", "audio", "video", "animation", "sticker"):
        if isinstance(message.get(kind), dict):
            media = message[kind]
            view["file"] = {
                "kind": kind,
                "id": media["file_id"],
                "name": media.get("file_name"),
                "mime": media.get("mime_type"),
            }
    if isinstance(message.get("photo"), list) and message["photo"]:
        view["file"] = {"kind": "photo", "id": message["photo"][-1]["file_id"]}
    if isinstance(message.get("contact"), dict):
        view["contact"] = message["contact"].get("phone_number")
    if isinstance(message.get("venue"), dict):
        venue = message["venue"]
        view["venue"] = f"📍 {venue.get('title', '')}, {venue.get('address', '')}"
    elif isinstance(message.get("location"), dict):
        location = message["location"]
        view["venue"] = f"📍 {location.get('latitude')}, {location.get('longitude')}"
    return view


def keyboard_view(keyboard: Mapping[str, Any] | None) -> list[list[dict[str, Any]]]:
    if not keyboard:
        return []
    return [
        [{"text": b.get("text", ""), "contact": bool(b.get("request_contact"))} for b in row]
        for row in keyboard.get("keyboard", [])
    ]


class SandboxPage:
    def __init__(self, fake: FakeTelegram, people: Sequence[Person]) -> None:
        self.fake = fake
        self.people = {person.id: person for person in people}
        self.users: dict[int, FakeUser] = {
            person.id: fake.user(
                person.id, first_name=person.name, language_code=person.language_code
            )
            for person in people
        }

    def application(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.add_routes(
            [
                web.get("/", self.page),
                web.get("/api/people", self.list_people),
                web.get("/api/chat/{user}", self.chat),
                web.post("/api/chat/{user}/text", self.text),
                web.post("/api/chat/{user}/press", self.press),
                web.post("/api/chat/{user}/tap", self.tap),
                web.post("/api/chat/{user}/photo", self.photo),
                web.post("/api/chat/{user}/voice", self.voice),
                web.post("/api/chat/{user}/document", self.document),
                web.get("/api/file/{file_id}", self.file),
            ]
        )
        return app

    def _person(self, request: web.Request) -> tuple[Person, FakeUser]:
        try:
            user_id = int(request.match_info["user"])
        except ValueError:
            raise web.HTTPNotFound() from None
        if user_id not in self.people:
            raise web.HTTPNotFound()
        return self.people[user_id], self.users[user_id]

    async def page(self, request: web.Request) -> web.Response:
        html = files("bot.sandbox").joinpath("page.html").read_text(encoding="utf-8")
        return web.Response(text=html, content_type="text/html", charset="utf-8")

    async def list_people(self, request: web.Request) -> web.Response:
        return web.json_response(
            [
                {"id": p.id, "name": p.name, "language": p.language_code, "role": p.role}
                for p in self.people.values()
            ]
        )

    async def chat(self, request: web.Request) -> web.Response:
        person, _ = self._person(request)
        transcript = self.fake.transcript(person.id)
        keyboard = self.fake.reply_keyboard(person.id)
        body = {
            "messages": [message_view(entry) for entry in transcript],
            "keyboard": keyboard_view(keyboard),
        }
        return web.Response(
            text=json.dumps(body, ensure_ascii=False), content_type="application/json"
        )

    async def text(self, request: web.Request) -> web.Response:
        _, user = self._person(request)
        text = str((await request.json()).get("text", "")).strip()
        if not text:
            raise web.HTTPBadRequest(text="empty message")
        await user.asend_text(text[:4096])  # Telegram's limit for one message
        return web.json_response({"ok": True})

    async def press(self, request: web.Request) -> web.Response:
        _, user = self._person(request)
        body = await request.json()
        try:
            query = await user.apress(
                callback_data=str(body["data"]), message_id=int(body["message_id"])
            )
        except (KeyError, ValueError, AssertionError) as error:
            raise web.HTTPBadRequest(text=str(error)) from None
        try:
            answer = await user.acallback_answer(query, timeout=5.0)
        except AssertionError:  # the bot did not answer the press (yet): nothing to show
            answer = {}
        return web.json_response(
            {"ok": True, "notice": answer.get("text"), "alert": bool(answer.get("show_alert"))}
        )

    async def tap(self, request: web.Request) -> web.Response:
        person, user = self._person(request)
        text = str((await request.json()).get("text", ""))
        try:
            await user.atap(text, phone_number=person.phone)
        except AssertionError as error:
            raise web.HTTPBadRequest(text=str(error)) from None
        return web.json_response({"ok": True})

    async def _upload(self, request: web.Request) -> tuple[bytes | None, str | None, str | None]:
        """The file the page posted (content, name, type), or nothing for the sample."""
        if not request.content_type.startswith("multipart/"):
            return None, None, None
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            return None, None, None
        content = upload.file.read(MAX_UPLOAD + 1)
        if len(content) > MAX_UPLOAD:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_UPLOAD, actual_size=len(content))
        return content, upload.filename, upload.content_type

    async def photo(self, request: web.Request) -> web.Response:
        _, user = self._person(request)
        content, _, _ = await self._upload(request)
        await user.asend_photo(content=content or sample_photo())
        return web.json_response({"ok": True})

    async def voice(self, request: web.Request) -> web.Response:
        _, user = self._person(request)
        content, _, mime = await self._upload(request)
        seconds = max(1, round(float(request.query.get("seconds", VOICE_SECONDS))))
        if content is None:
            content, mime = sample_voice(), "audio/wav"
        await user.asend_voice(seconds, content=content, mime_type=mime or "audio/ogg")
        return web.json_response({"ok": True})

    async def document(self, request: web.Request) -> web.Response:
        _, user = self._person(request)
        content, name, mime = await self._upload(request)
        if content is None:
            raise web.HTTPBadRequest(text="no file")
        await user.asend_document(name or "document", content=content, mime_type=mime)
        return web.json_response({"ok": True})

    async def file(self, request: web.Request) -> web.Response:
        found = self.fake.file_content(request.match_info["file_id"])
        if found is None:
            raise web.HTTPNotFound()
        content, name, mime = found
        # RFC 6266: a file name in UTF-8 (an export named in Arabic) goes in `filename*`.
        headers = {"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"} if name else {}
        return web.Response(
            body=content, content_type=mime or "application/octet-stream", headers=headers
        )
