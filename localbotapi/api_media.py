"""The fake's methods that send something other than text: files, albums, places, copies."""

from __future__ import annotations

from .api_base import ApiBase
from .errors import (
    FILE_TYPE_MISMATCH,
    WRONG_FILE,
    ApiError,
    bad_request,
)
from .models import JSONDict
from .params import (
    MAX_DOWNLOAD,
    STRICT_KINDS,
    Handler,
    Params,
)
from .records import StoredFile


class MediaMethods(ApiBase):
    async def send_location(self, p: Params) -> JSONDict:
        chat = self.target_chat(p)
        latitude = p.get_float("latitude")
        longitude = p.get_float("longitude")
        if latitude is None or longitude is None:
            raise bad_request("wrong latitude or longitude")
        stored = self.state.add_bot_message(
            chat,
            "sendLocation",
            {"location": {"latitude": latitude, "longitude": longitude}},
            reply_markup=self.markup(p),
            reply_to=self._reply_to(chat, p),
        )
        return stored.message

    def _coordinates(self, p: Params) -> JSONDict:
        """A location from `latitude` and `longitude`, both required and on the globe."""
        latitude = p.get_float("latitude")
        longitude = p.get_float("longitude")
        if latitude is None or not -90 <= latitude <= 90:
            raise bad_request("wrong latitude specified")
        if longitude is None or not -180 <= longitude <= 180:
            raise bad_request("wrong longitude specified")
        return {"latitude": latitude, "longitude": longitude}

    async def send_venue(self, p: Params) -> JSONDict:
        """https://core.telegram.org/bots/api#sendvenue: the Message carries `venue` (with its
        `location`) and, for older clients, the same `location` at top level."""
        chat = self.target_chat(p)
        location = self._coordinates(p)
        title, address = p.get_str("title") or "", p.get_str("address") or ""
        if not title.strip():
            raise bad_request("title is empty")
        if not address.strip():
            raise bad_request("address is empty")
        venue: JSONDict = {"location": location, "title": title, "address": address}
        for key in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
            if p.get_str(key):
                venue[key] = p.get_str(key)
        stored = self.state.add_bot_message(
            chat,
            "sendVenue",
            {"venue": venue, "location": dict(location)},
            reply_markup=self.markup(p),
            reply_to=self._reply_to(chat, p),
        )
        return stored.message

    async def copy_message(self, p: Params) -> JSONDict:
        chat = self.target_chat(p)
        source_chat = self.target_chat(p, "from_chat_id")
        message_id = p.get_int("message_id")
        source = source_chat.messages.get(message_id) if message_id is not None else None
        if source is None or source.deleted:
            raise bad_request("message to copy not found")
        kept = ("text", "entities", "caption", "caption_entities", "location", "venue", "contact")
        kinds = ("document", "photo", "voice", "audio", "video", "animation", "sticker")
        content = {k: v for k, v in source.message.items() if k in kept or k in kinds}
        if p.get("caption") is not None:
            caption, _, _ = self._caption(p)
            content.pop("caption", None)
            content.pop("caption_entities", None)
            content.update(caption)
        stored = self.state.add_bot_message(
            chat,
            "copyMessage",
            content,
            raw_text=content.get("text", content.get("caption")),
            reply_markup=self.markup(p),
            attachment=source.attachment,
            reply_to=self._reply_to(chat, p),
        )
        return {"message_id": stored.message_id}

    def _input_file(self, p: Params, kind: str) -> StoredFile:
        value = p.get(kind)
        upload = p.files.get(kind)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = p.files.get(value.removeprefix("attach://"))
        if upload is not None:
            if not upload.content:
                raise bad_request("file must be non-empty")
            content_type = upload.content_type
            if content_type in (None, "application/octet-stream"):
                content_type = None
            return self.state.register_file(
                kind, upload.content, file_name=upload.filename, mime_type=content_type
            )
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1].split("?", 1)[0] or None
            return self.state.register_file(kind, None, file_name=name, url=value)
        known = self.state.files.get(value)
        if known is None:
            raise ApiError(400, WRONG_FILE)
        if known.kind != kind and {known.kind, kind} & STRICT_KINDS:
            raise ApiError(400, FILE_TYPE_MISMATCH)
        return known

    def _media_sender(self, kind: str) -> Handler:
        method = "send" + kind.capitalize()

        async def send(p: Params) -> JSONDict:
            chat = self.target_chat(p)
            file = self._input_file(p, kind)
            caption, raw, parse_mode = self._caption(p) if kind != "sticker" else ({}, None, None)
            content = self._media_content(kind, file, p)
            content.update(caption)
            stored = self.state.add_bot_message(
                chat,
                method,
                content,
                raw_text=raw,
                parse_mode=parse_mode,
                reply_markup=self.markup(p),
                attachment=file,
                reply_to=self._reply_to(chat, p),
            )
            return stored.message

        return send

    async def send_media_group(self, p: Params) -> list[JSONDict]:
        """An album: 2 to 10 photos, videos, documents or audios, one message each, sharing a
        media_group_id (captions and entities of the items are not modelled)."""
        chat = self.target_chat(p)
        items = p.get("media")
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise bad_request("media must include 2-10 items")
        group_id = str(next(self._media_groups))
        sent: list[JSONDict] = []
        for item in items:
            kind = item.get("type") if isinstance(item, dict) else None
            if kind not in ("photo", "video", "document", "audio"):
                raise bad_request("unsupported media type in the media group")
            file = self._input_file(Params({kind: item.get("media")}, p.files), kind)
            content = self._media_content(kind, file, Params({}, {}))
            content["media_group_id"] = group_id
            stored = self.state.add_bot_message(chat, "sendMediaGroup", content, attachment=file)
            sent.append(stored.message)
        return sent

    def _media_content(self, kind: str, file: StoredFile, p: Params) -> JSONDict:
        media = file.media_dict()
        if kind == "photo":
            small = {
                "file_id": file.file_id[:-8] + "AAMCBAAD",
                "file_unique_id": file.file_unique_id[:-1] + "m",
                "width": 90,
                "height": 67,
            }
            large: JSONDict = {
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "width": p.get_int("width") or 1280,
                "height": p.get_int("height") or 960,
            }
            if file.file_size is not None:
                large["file_size"] = file.file_size
            return {"photo": [small, large]}
        if kind == "sticker":
            media.pop("file_name", None)
            media.pop("mime_type", None)
            return {
                "sticker": {
                    **media,
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            }
        if kind in ("voice", "audio", "video", "animation"):
            media["duration"] = p.get_int("duration") or 1
            if kind == "voice":
                media.pop("file_name", None)
        if kind in ("video", "animation"):
            media["width"] = p.get_int("width") or 640
            media["height"] = p.get_int("height") or 480
        return {kind: media}

    async def get_file(self, p: Params) -> JSONDict:
        file_id = p.get_str("file_id")
        if not file_id:
            raise bad_request("file_id is empty")
        file = self.state.files.get(file_id)
        if file is None:
            raise bad_request("invalid file_id")
        if file.file_size is not None and file.file_size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return file.to_file_dict()
