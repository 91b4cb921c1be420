"""What people type: texts in every script the bot meets, with bidi and control characters,
SQL and format-string fragments and very long strings; plausible answers; first names;
commands; and the settings every fuzz test runs with."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# HYPOTHESIS_PROFILE=thorough multiplies every example count (a longer local run).
SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 1


def fuzz_settings(examples: int) -> settings:
    # FUZZ_NO_SHRINK=1 reports failures as found, when shrinking them would take too long.
    phases = [p for p in Phase if not (p is Phase.shrink and os.environ.get("FUZZ_NO_SHRINK"))]
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        print_blob=True,
        phases=phases,
    )


ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "ءأإآةىئؤ" + "ًٌٍَُِّْ"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
TIFINAGH = "".join(chr(c) for c in range(0x2D30, 0x2D68)) + "\u2d6f\u2d7f"
EMOJI = ["🙂", "👩\u200d🌾", "🇲🇦", "👍🏽", "🧺", "☀️", "1️⃣", "\U0001faf6"]
BIDI = ["\u200e", "\u200f", "\u061c", *(chr(c) for c in range(0x202A, 0x202F))] + [
    chr(c) for c in range(0x2066, 0x206A)
]
CONTROL = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\t", "\r", "\n"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00a0", "\u202f", "\u3000", "\u2800"]
FRAGMENTS = [
    "'; DROP TABLE answers; --",
    '" OR 1=1 --',
    "%",
    "_",
    "%(name)s",
    "%s %d",
    "{0}",
    "<b>gras</b>",
    "*gras* _italique_ `code`",
    "\\",
    ":",
    "a:1:x",
    "/start",
    "@souk_test_bot",
    "https://t.me/x",
    "NULL",
    "0612345678",
    "+212 6 12 34 56 78",
    "١٢",
    "1.000",
    "-5",
    "12,5",
    "1e9",
    "99999999999999999999999",
    "IFR-1-0001",
    "Coopérative Tifawin",
    "تعاونية الأمل",
    "ⵜⴰⵎⴰⵣⵉⵖⵜ",
]

_PIECES = st.one_of(
    st.sampled_from(list(ARABIC)),
    st.sampled_from(list(ARABIC_DIGITS)),
    st.sampled_from(list(TIFINAGH)),
    st.sampled_from(EMOJI),
    st.sampled_from(BIDI),
    st.sampled_from(CONTROL),
    st.sampled_from(INVISIBLE),
    st.sampled_from(FRAGMENTS),
    st.characters(codec="utf-8"),
    st.sampled_from([" ", "a", "é", "1", "-", "/", "."]),
)

TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(_PIECES, max_size=30).map("".join),
    st.sampled_from(FRAGMENTS),
    # Very long: 10,000 characters of one script, or of everything.
    st.sampled_from(["ⵜ", "ب", "a", "🙂", "\u200f", "٣", "\x00", " "]).map(lambda c: c * 10_000),
    st.lists(_PIECES, min_size=1, max_size=8)
    .map("".join)
    .map(lambda s: (s * (10_000 // len(s) + 1))[:10_000]),
)

# Some answers to the questionnaire written as people write them, valid ones included.
PLAUSIBLE = st.sampled_from(
    [
        "Coopérative Tifawin",
        "تعاونية الأمل للنسيج",
        "ⵜⴰⵙⵖⵓⵏⵜ ⵜⵉⴼⴰⵡⵉⵏ",
        "Azrou",
        "أزرو",
        "Fatima Zahra",
        "فاطمة الزهراء",
        "Tapis, couscous 🧺",
        "12",
        "١٢",
        "1 200",
        "0612345678",
        "+212 6 12 34 56 78",
        "٠٦١٢٣٤٥٦٧٨",
        "1234/2019",
        "001234567000089",
        "12345678",
        "x" * 121,
        "a" * 501,
    ]
)

# Telegram first names: 1 to 64 characters, anything people type (the bot greets them).
FIRST_NAMES = st.one_of(
    st.sampled_from(
        [
            "Fatima",
            "فاطمة الزهراء",
            "ⴼⴰⵟⵉⵎⴰ",
            "\u202eamitaF",  # a right-to-left override left open
            "Ali \u2067علي",  # an isolate left open
            "\u202bعلي\u202c",
            "🙂" * 32,
            "%(name)s",
            "A" * 64,
        ]
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=1, max_size=64),
)

KNOWN_COMMANDS = [
    "start",
    "menu",
    "language",
    "info",
    "help",
    "apply",
    "status",
    "reminders",
    "correct",
    "privacy",
    "mydata",
    "delete_my_data",
    "review",
    "app",
    "find",
    "broadcast",
    "broadcasts",
    "team",
    "grant",
    "revoke",
    "health",
]
