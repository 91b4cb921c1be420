"""What a catalog still lacks, as a small .po file to fill, and the filled file merged back.

Usage:
  python scripts/untranslated.py zgh                  list the untranslated msgids (exit 1 if any)
  python scripts/untranslated.py zgh --po todo.po     write them to todo.po, each with its
                                                       Arabic translation as a reference comment
  python scripts/untranslated.py zgh --merge todo.po  copy the filled translations of todo.po
                                                       into bot/locales/zgh/LC_MESSAGES/messages.po

The msgids are read from the code (as `scripts/messages.py` does), so texts added on other
branches show up even before `make messages` has run. A translation whose placeholders
(`%(name)s`) differ from its msgid's is refused, with the msgid named, and nothing is written.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

if __package__ in (None, ""):  # run as `python scripts/untranslated.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.messages import LOCALES, extract, merged, save, untranslated

PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")
REFERENCE_LOCALE = "ar"


def _strings(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _key(message: Message) -> tuple[str, str | None]:
    return _strings(message.id)[0], message.context


def todo(catalog: Catalog, reference: Catalog | None) -> Catalog:
    """The untranslated entries of `catalog`, with the reference language's text as a comment."""
    out = Catalog(locale=catalog.locale_identifier, charset="utf-8")
    out._num_plurals, out._plural_expr = catalog.num_plurals, catalog.plural_expr
    for message in untranslated(catalog):
        comments = list(message.auto_comments)
        known = reference.get(message.id, message.context) if reference else None
        if known is not None and any(_strings(known.string)):
            label = REFERENCE_LOCALE
            comments += [f"{label}: {text}" for text in _strings(known.string)]
        empty: str | tuple[str, ...] = (
            ("",) * catalog.num_plurals if isinstance(message.id, tuple) else ""
        )
        out.add(
            message.id,
            empty,
            message.locations,
            auto_comments=comments,
            flags=message.flags,
            context=message.context,
        )
    return out


def placeholder_problems(message: Message) -> list[str]:
    wanted = set(PLACEHOLDER.findall(" ".join(_strings(message.id))))
    problems = []
    for index, text in enumerate(_strings(message.string)):
        found = set(PLACEHOLDER.findall(text))
        # The singular of a plural may say "one" in words instead of %(count)s.
        optional = {"%(count)s"} if isinstance(message.id, tuple) and index == 0 else set()
        if not text or found - wanted or (wanted - optional) - found:
            problems.append(f"{_key(message)[0]!r}[{index}]: {sorted(found)} != {sorted(wanted)}")
    return problems


def merge(catalog: Catalog, filled: Catalog) -> tuple[int, list[str]]:
    """Copy every complete translation of `filled` into `catalog`: (how many, problems)."""
    wanted = {_key(m): m for m in catalog if m.id}
    copied, problems = 0, []
    for message in filled:
        if not message.id or not all(_strings(message.string)):
            continue
        target = wanted.get(_key(message))
        if target is None:
            problems.append(f"{_key(message)[0]!r}: no longer in the code")
            continue
        found = placeholder_problems(message)
        if found:
            problems += found
            continue
        target.string = message.string
        copied += 1
    return copied, problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("locale")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--po", type=Path, help="write the untranslated entries to this file")
    action.add_argument("--merge", type=Path, help="merge this filled file into the catalog")
    args = parser.parse_args(argv)
    po_path = LOCALES / args.locale / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        parser.error(f"{po_path} does not exist: create it first (see the README)")
    template = extract()
    catalog = merged(po_path, template)
    if args.merge:
        with args.merge.open("rb") as handle:
            filled = read_po(handle, locale=args.locale)
        copied, problems = merge(catalog, filled)
        for problem in problems:
            print(f"{args.locale}: not merged: {problem}")
        if problems:
            return 1
        save(po_path, catalog)
        print(f"{args.locale}: {copied} merged, {len(untranslated(catalog))} still untranslated")
        return 0
    missing = untranslated(catalog)
    if args.po:
        reference_path = LOCALES / REFERENCE_LOCALE / "LC_MESSAGES" / "messages.po"
        reference = merged(reference_path, template) if reference_path.exists() else None
        with args.po.open("wb") as out:
            write_po(out, todo(catalog, reference), width=100)
        print(f"{args.locale}: {len(missing)} untranslated, written to {args.po}")
        return 0
    for message in missing:
        context = f" [{message.context}]" if message.context else ""
        print(f"{_key(message)[0]!r}{context}")
    print(f"{args.locale}: {len(missing)} untranslated", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
