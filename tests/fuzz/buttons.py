"""Callback data: random, a mutation of the codes the bot really put on its buttons (right
action, wrong ids, missing or extra fields), or well-formed data of any action
(bot/callbacks/) with random fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hypothesis import strategies as st

from bot.callbacks import CallbackData, callback_classes
from bot.callbacks.data import Field

# Every action code the bot puts on buttons (bot/callbacks/), and some it never does.
ACTIONS = [kind.CODE for kind in callback_classes()] + ["", "x", "zz"]


def codes(*kinds: type[CallbackData]) -> list[str]:
    """The action codes of these buttons, for forging their data."""
    return [kind.CODE for kind in kinds]


_TOKEN = st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True)


def _value(field: Field) -> st.SearchStrategy[object]:
    if field.kind is bool:
        return st.booleans()
    if field.kind is int:
        return st.integers(0, 10**18 - 1)
    if field.kind is str:
        return _TOKEN
    return st.sampled_from(list(field.kind))


def buttons(kind: type[CallbackData] | None = None) -> st.SearchStrategy[CallbackData]:
    """A well-formed button of `kind` (any kind if None): every field drawn from its type, the
    optional ones left out from some point on."""
    if kind is None:
        return st.sampled_from(callback_classes()).flatmap(buttons)
    chosen = kind

    @st.composite
    def build(draw: st.DrawFn) -> CallbackData:
        fields = chosen.FIELDS
        required = sum(not field.optional for field in fields)
        given = draw(st.integers(required, len(fields)))
        values = [draw(_value(field)) for field in fields[:given]]
        values += [None] * (len(fields) - given)
        make: Callable[..., CallbackData] = chosen
        return make(*values)

    return build()


# Fields that look like ids but are not quite: the parser's corner cases.
ODD_FIELDS = [
    "",
    "0",
    "-1",
    "²",
    "٣",
    "١٢",
    "1e3",
    " 1",
    "1 ",
    "01",
    "99999999999999999999",
    "9223372036854775808",
    "x",
    "all",
    "ifrane",
    "ifrane-1",
    "ifrane-9",
    "ⵜ",
    "🙂",
    "%",
    "'",
    "y",
    "n",
]


def _clip(data: str) -> str:
    """Callback data holds 1 to 64 bytes: cut (on a character boundary) what is longer."""
    return data.encode()[:64].decode(errors="ignore") or "x"


def pick(pool: Sequence[str], fallback: str = "x") -> st.SearchStrategy[str]:
    """One of `pool` (`fallback` if empty), drawn as a number that does not depend on the pool.

    The examples share one application, so ids and the buttons on screen differ from one run
    of an example to the next: with `sampled_from(pool)` hypothesis could not replay a failing
    example ("inconsistent data generation"); with this it replays the same choices."""
    items = list(pool)
    return st.integers(0, 255).map(lambda i: items[i % len(items)] if items else fallback)


_ODD = st.one_of(
    st.sampled_from(ODD_FIELDS),
    st.integers(min_value=-5, max_value=10**20).map(str),
    st.text(max_size=6),
)


def _field(pool: Sequence[str]) -> st.SearchStrategy[str]:
    """Mostly a value that makes sense in this position, sometimes an odd one."""
    plausible = pick(pool, fallback=ODD_FIELDS[0])
    return st.sampled_from([True, True, True, False]).flatmap(lambda p: plausible if p else _ODD)


def _mutations(real: list[str], fields: list[list[str]]) -> st.SearchStrategy[str]:
    """A real code with a field replaced, dropped or added, or another action's prefix."""
    pool = [p for code in real for p in code.split(":")[1:]] + [f for fs in fields for f in fs]

    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        parts = draw(pick(real)).split(":")
        how = draw(st.sampled_from(["prefix", "drop", "replace", "add", "swap"]))
        index = draw(st.integers(0, 7)) % len(parts)
        if how == "replace":
            parts[index] = draw(_field(pool))
        elif how == "drop" and len(parts) > 1:
            del parts[max(index, 1)]
        elif how == "add":
            parts.insert(max(index, 1), draw(_field(pool)))
        elif how == "prefix":
            parts[0] = draw(st.sampled_from(ACTIONS))
        elif how == "swap" and len(parts) > 2:
            parts[1], parts[2] = parts[2], parts[1]
        return _clip(":".join(parts))

    return mutate()


def _forged(actions: list[str], fields: list[list[str]]) -> st.SearchStrategy[str]:
    """`action:f1:f2...`: the bot's own actions with plausible fields in each position
    (`fields[i]`: the values that make sense there, such as the draft's id, then the question
    asked), or odd ones."""

    @st.composite
    def forge(draw: st.DrawFn) -> str:
        action = draw(st.sampled_from(actions) | st.sampled_from(ACTIONS))
        count = draw(st.sampled_from([2, 3, 1, 0, 4]))
        parts = [action]
        for index in range(count):
            pool = fields[index] if index < len(fields) else []
            parts.append(draw(_field(pool)))
        return _clip(":".join(parts))

    return forge()


def callback_data(
    real: list[str], actions: list[str] | None = None, fields: list[list[str]] | None = None
) -> st.SearchStrategy[str]:
    """Button data: real codes, forged ones built from `actions` and positional `fields`,
    mutations of the real ones, and random bytes."""
    actions, fields = actions or ACTIONS, fields or []
    forged = _forged(actions, fields)
    kinds = {
        "forged": forged,
        "ascii": st.text(
            st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=64
        ),
        "unicode": st.text(min_size=1, max_size=16).map(_clip),
        "real": pick(real) if real else forged,
        "mutated": _mutations(real, fields) if real else forged,
        "typed": buttons().map(lambda button: button.pack()),
    }
    weights = ["forged", "forged", "forged", "ascii", "unicode", "real", "real", "mutated", "typed"]
    return st.sampled_from(weights).flatmap(lambda kind: kinds[kind])
