"""Extract the msgids from the code into messages.pot and merge them into every catalog.

Usage: python scripts/messages.py [--check]
  --check  exit 1 if a catalog is missing a msgid or has an untranslated entry (no writing).

`pybabel update` rewrites the Arabic Plural-Forms header with Babel's own expression, whose
slots 4 and 5 are swapped against CLDR and GNU gettext (Babel issue 816); this script keeps the
GNU expression instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "bot" / "locales"
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
PLURAL_FORMS = {
    "ar": (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
    ),
    "fr": "nplurals=2; plural=(n > 1);",
}


def extract() -> Catalog:
    template = Catalog(project="souk-bot", charset="utf-8")
    method_map = [("bot/**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def main(check: bool) -> int:
    template = extract()
    if not check:
        with (LOCALES / "messages.pot").open("wb") as out:
            write_po(out, template, width=100, omit_header=False)
    problems = 0
    for po_path in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        locale = po_path.parent.parent.name
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        catalog.update(template, no_fuzzy_matching=True)
        untranslated = [
            m.id
            for m in catalog
            if m.id
            and locale != "fr"
            and not all(m.string if isinstance(m.string, tuple) else (m.string,))
        ]
        for msgid in untranslated:
            print(f"{locale}: untranslated: {msgid!r}")
        problems += len(untranslated)
        if not check:
            catalog.fuzzy = False
            if locale in PLURAL_FORMS:
                catalog._num_plurals, catalog._plural_expr = (  # keep the GNU expression
                    int(PLURAL_FORMS[locale].split(";")[0].split("=")[1]),
                    PLURAL_FORMS[locale].split("plural=")[1].rstrip(";"),
                )
            with po_path.open("wb") as out:
                write_po(out, catalog, width=100, ignore_obsolete=True, include_previous=False)
    return 1 if check and problems else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
