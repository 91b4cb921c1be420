"""The fake's HTTP side: a request read (form, multipart or JSON), limits and faults applied,
the method run, the call recorded, and files served."""

from __future__ import annotations

import asyncio
import json
import time
import traceback
from typing import Any

from aiohttp import web

from .errors import BLOCKED, METHOD_NOT_FOUND, UNAUTHORIZED, ApiError, too_many_requests
from .faults import Fault, Rule
from .models import JSONDict, RecordedCall, UploadedFile
from .params import (
    MAX_UPLOAD,
    REACHES_USER_METHODS,
    SENDING_METHODS,
    Handler,
    Params,
    normalize_params,
)
from .records import copy_json
from .server_core import LOGGER, ServerCore


class HttpServer(ServerCore):
    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(401, UNAUTHORIZED).body(), 401)
        method = request.match_info["method"]
        self._arrivals[method.lower()] += 1
        params: JSONDict = {}
        files: dict[str, UploadedFile] = {}
        late: Rule | None = None
        try:
            raw, files = await _read_request(request)
            if sum(len(file.content) for file in files.values()) > MAX_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            params = normalize_params(raw)
            entry = self._api.resolve(method)
            if entry is None:
                raise ApiError(404, METHOD_NOT_FOUND)
            method = entry[0]
            chat_id = params.get("chat_id")
            early = self.network.take(method.lower(), chat_id, before=True)
            if early is not None and early.error is not None:
                raise early.error
            if early is not None:
                await asyncio.sleep(early.seconds)
            late = self.network.take(method.lower(), chat_id, before=False)
            result = await self._dispatch(method, entry[1], Params(params, files))
            status, body = 200, {"ok": True, "result": result}
        except ApiError as exc:
            status, body = exc.error_code, exc.body()
        except Exception as exc:
            self.internal_errors.append(traceback.format_exc())
            LOGGER.exception("fake Telegram crashed on %s", method)
            status = 500
            body = {
                "ok": False,
                "error_code": 500,
                "description": f"Internal Server Error: {exc!r}",
            }
        self._record(method, params, files, status, body)
        if late is not None and late.fault is Fault.DROPPED_ANSWER and request.transport:
            request.transport.abort()  # handled, and the answer never leaves
        elif late is not None:
            await asyncio.sleep(late.seconds)
        return _json_response(body, status)

    async def _dispatch(self, method: str, handler: Handler, p: Params) -> Any:
        lower = method.lower()
        faults = self._faults.get(lower)
        if faults:
            raise faults.popleft()
        chat_id = p.chat_id()
        if lower in REACHES_USER_METHODS and chat_id in self._state.blocked:
            raise ApiError(403, BLOCKED)
        if lower not in SENDING_METHODS:
            return await handler(p)
        chat = self._state.chat(chat_id)
        key = chat.id if chat is not None else None
        is_group = chat.is_group if chat is not None else False
        if self.enforce_limits:
            retry_after = self._limiter.check(key, is_group, time.monotonic())
            if retry_after is not None:
                self._stats.too_many_requests += 1
                if key is not None:
                    self._stats.too_many_requests_per_chat[key] += 1
                raise too_many_requests(retry_after)
        result = await handler(p)
        in_last_second = self._limiter.record(key, is_group, time.monotonic())
        stats = self._stats
        if key is not None:
            stats.sent_per_chat[key] += 1
        stats.peak_sends_per_second = max(stats.peak_sends_per_second, in_last_second)
        await self._holds.wait(lower, chat_id)
        return result

    def _record(
        self,
        method: str,
        params: JSONDict,
        files: dict[str, UploadedFile],
        status: int,
        body: JSONDict,
    ) -> None:
        self._stats.calls_per_method[method] += 1
        if status != 200:
            self._stats.errors_per_code[status] += 1
        if self.record_calls:
            self._state.calls.append(
                RecordedCall(
                    method=method,
                    params=copy_json(params),
                    files=dict(files),
                    timestamp=time.monotonic(),
                    status=status,
                    response=copy_json(body),
                )
            )

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(401, UNAUTHORIZED).body(), 401)
        path = request.match_info["file_path"]
        file = self._state.files_by_path.get(path)
        status = 200 if file is not None and file.content is not None else 404
        self._record("downloadFile", {"file_path": path}, {}, status, {"ok": status == 200})
        if file is None or file.content is None:
            return _json_response({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        return web.Response(
            body=file.content, content_type=file.mime_type or "application/octet-stream"
        )


async def _read_request(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return raw, files
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise ApiError(400, "Bad Request: can't parse JSON request body") from exc
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: request body must be a JSON object")
        raw.update(body)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = UploadedFile(
                    field_name=key,
                    filename=value.filename,
                    content_type=value.content_type,
                    content=value.file.read(),
                )
            else:
                raw[key] = value
    return raw, files


def _json_response(body: JSONDict, status: int) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )
