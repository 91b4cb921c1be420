"""What a sandbox user sends when they have nothing at hand: a photo and a voice note, made on
the spot (no binary file in the repository)."""

from __future__ import annotations

import io
import math
import struct
import wave

from PIL import Image, ImageDraw

VOICE_SECONDS = 2
_RATE = 8000


def sample_photo() -> bytes:
    """A 640×480 JPEG: a market stall in flat colours, enough to see that a photo went."""
    image = Image.new("RGB", (640, 480), (250, 240, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 200, 560, 420), fill=(170, 90, 50))  # the stall
    draw.polygon([(60, 200), (320, 80), (580, 200)], fill=(200, 40, 60))  # its awning
    for index, colour in enumerate(((230, 180, 40), (60, 140, 70), (40, 90, 170))):
        left = 130 + index * 140
        draw.ellipse((left, 250, left + 100, 350), fill=colour)  # baskets of produce
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def sample_voice() -> bytes:
    """Two seconds of a soft two-tone chime as a WAV file, which every browser plays."""
    frames = bytearray()
    for index in range(VOICE_SECONDS * _RATE):
        seconds = index / _RATE
        pitch = 440.0 if seconds < VOICE_SECONDS / 2 else 554.0
        fade = min(1.0, (VOICE_SECONDS - seconds) * 4)
        frames += struct.pack("<h", int(8000 * fade * math.sin(2 * math.pi * pitch * seconds)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(_RATE)
        out.writeframes(bytes(frames))
    return buffer.getvalue()
