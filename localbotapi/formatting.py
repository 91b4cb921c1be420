"""Text formatting as Telegram applies it: HTML / MarkdownV2 / Markdown -> plain text + entities.

Offsets and lengths are in UTF-16 code units, like Telegram's. Malformed markup raises the
same 400 "can't parse entities" the real server answers, so formatting bugs show up in tests.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from .errors import ApiError, bad_request

Entity = dict[str, Any]

_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
}

# Characters MarkdownV2 reserves (https://core.telegram.org/bots/api#markdownv2-style).
_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _parse_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def command_entities(text: str) -> list[Entity]:
    """`bot_command` entities as Telegram clients create them for "/word" tokens."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]


def parse_formatted(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Plain text and entities for `text` sent with `parse_mode` (None: text as is)."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown(text, v2=True)
    if mode == "markdown":
        return _parse_markdown(text, v2=False)
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return text, []


class _TelegramHTML(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.parts: list[str] = []
        self.text_offset = 0
        self.stack: list[tuple[str, int, dict[str, str | None]]] = []
        self.entities: list[Entity] = []

    def _byte_offset(self) -> int:
        line, column = self.getpos()
        index = self._line_starts[line - 1] + column
        return len(self._source[:index].encode())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise _parse_error(
                f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}'
            )
        attributes = dict(attrs)
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise _parse_error(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self._byte_offset()}'
            )
        self.stack.append((tag, self.text_offset, attributes))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            expected = f'"</{self.stack[-1][0]}>"' if self.stack else "nothing"
            raise _parse_error(
                f"Unmatched end tag at byte offset {self._byte_offset()}, "
                f'expected {expected}, found "</{tag}>"'
            )
        _, start, attributes = self.stack.pop()
        kind = _HTML_TAGS[tag]
        if tag == "code" and self.stack and self.stack[-1][0] == "pre":
            language = (attributes.get("class") or "").removeprefix("language-")
            if language:
                self.stack[-1][2]["language"] = language
            return
        length = self.text_offset - start
        if length <= 0:
            return
        entity: Entity = {"type": kind, "offset": start, "length": length}
        if tag == "a":
            href = attributes.get("href")
            if not href:
                return
            entity["url"] = href
        elif tag == "pre" and attributes.get("language"):
            entity["language"] = attributes["language"]
        elif tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = attributes.get("emoji-id") or ""
        self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.text_offset += utf16_len(data)


def _parse_html(text: str) -> tuple[str, list[Entity]]:
    parser = _TelegramHTML(text)
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise _parse_error(
            f'Can\'t find end tag corresponding to start tag "{parser.stack[-1][0]}"'
        )
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.parts), entities


_MD_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
}
_MD_TYPES = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}


def _parse_markdown(text: str, *, v2: bool) -> tuple[str, list[Entity]]:
    """A compact MarkdownV2 / legacy Markdown parser that reports Telegram's errors."""
    out: list[str] = []
    offset = 0
    entities: list[Entity] = []
    stack: list[tuple[str, int, int]] = []  # marker, utf16 offset, byte offset in source
    i = 0
    n = len(text)

    def emit(chunk: str) -> None:
        nonlocal offset
        out.append(chunk)
        offset += utf16_len(chunk)

    def byte_at(index: int) -> int:
        return len(text[:index].encode())

    while i < n:
        char = text[i]
        if char == "\\" and v2:
            if i + 1 < n:
                emit(text[i + 1])
                i += 2
                continue
            raise _parse_error(
                "Character '\\' is reserved and must be escaped with the preceding '\\'"
            )
        if char == "`":
            fence = "```" if text.startswith("```", i) else "`"
            end = _find_unescaped(text, fence, i + len(fence), v2=v2)
            if end < 0:
                name = "Pre" if fence == "```" else "Code"
                raise _parse_error(f"Can't find end of {name} entity at byte offset {byte_at(i)}")
            body = text[i + len(fence) : end]
            entity: Entity = {"type": "pre" if fence == "```" else "code", "offset": offset}
            if fence == "```":
                first, newline, rest = body.partition("\n")
                if newline and first and " " not in first:
                    entity["language"] = first
                    body = rest
            if v2:
                body = re.sub(r"\\([`\\])", r"\1", body)
            emit(body)
            entity["length"] = offset - entity["offset"]
            if entity["length"] > 0:
                entities.append(entity)
            i = end + len(fence)
            continue
        marker = text[i : i + 2] if v2 and text[i : i + 2] in ("__", "||") else char
        if marker in _MD_TYPES and (v2 or marker in ("*", "_")):
            if stack and stack[-1][0] == marker:
                _, start, _ = stack.pop()
                if offset > start:
                    entities.append(
                        {"type": _MD_TYPES[marker], "offset": start, "length": offset - start}
                    )
            else:
                stack.append((marker, offset, byte_at(i)))
            i += len(marker)
            continue
        if char == "[" or (v2 and text.startswith("![", i)):  # link, or custom emoji "![👍](...)"
            stack.append(("[", offset, byte_at(i)))
            i += 1 if char == "[" else 2
            continue
        if char == "]" and stack and stack[-1][0] == "[":
            if i + 1 < n and text[i + 1] == "(":
                close = text.find(")", i + 2)
                if close < 0:
                    raise _parse_error(f"Can't find end of a url at byte offset {byte_at(i + 1)}")
                url = text[i + 2 : close]
                _, start, _ = stack.pop()
                if offset > start:
                    entities.append(
                        {"type": "text_link", "offset": start, "length": offset - start, "url": url}
                    )
                i = close + 1
                continue
            if not v2:
                stack.pop()
                emit("]")
                i += 1
                continue
        if v2 and char == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1  # blockquote marker; the quote itself is not tracked
            continue
        if v2 and char in _MDV2_RESERVED:
            raise _parse_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        emit(char)
        i += 1
    if stack:
        marker, _, byte_offset = stack[-1]
        if v2:
            name = _MD_NAMES.get(marker, "TextUrl")
            raise _parse_error(f"Can't find end of {name} entity at byte offset {byte_offset}")
        raise _parse_error(f"Can't find end of the entity starting at byte offset {byte_offset}")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _find_unescaped(text: str, needle: str, start: int, *, v2: bool) -> int:
    i = start
    while i < len(text):
        if v2 and text[i] == "\\":
            i += 2
            continue
        if text.startswith(needle, i):
            return i
        i += 1
    return -1
