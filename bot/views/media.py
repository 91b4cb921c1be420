"""How /media reads: the zips of a phase's photos and voice notes, and what could not be sent."""

from __future__ import annotations

from bot.i18n import Translator
from bot.services.media import MediaReport


def usage_text(t: Translator) -> str:
    return t.gettext("Exemple : /media ifrane 2")


def nothing_text(t: Translator) -> str:
    return t.gettext("Aucune photo ni message vocal dans ces candidatures.")


def preparing_text(t: Translator, count: int) -> str:
    return t.ngettext(
        "Préparation de %(count)s fichier (photos et messages vocaux), envoyé en fichiers zip"
        " de moins de 50 Mo…",
        "Préparation de %(count)s fichiers (photos et messages vocaux), envoyés en fichiers zip"
        " de moins de 50 Mo…",
        count,
    )


def zip_caption(t: Translator, number: int) -> str:
    return t.gettext(
        "Photos et messages vocaux, partie %(number)s. Chaque fichier porte la référence et le"
        " nom de la structure, comme dans l'export.",
        number=number,
    )


def done_text(t: Translator, report: MediaReport) -> str:
    lines = [
        t.ngettext(
            "✅ %(count)s fichier envoyé en %(zips)s zip.",
            "✅ %(count)s fichiers envoyés en %(zips)s zip.",
            report.files,
            zips=report.zips,
        )
    ]
    if report.missing:
        lines.append(
            t.ngettext(
                "⚠️ %(count)s fichier n'a pas pu être téléchargé de Telegram (plus de 20 Mo,"
                " ou supprimé) :",
                "⚠️ %(count)s fichiers n'ont pas pu être téléchargés de Telegram (plus de 20"
                " Mo, ou supprimés) :",
                len(report.missing),
            )
        )
        lines += (t.isolate(name) for name in report.missing)
    return t.start_rtl("\n".join(lines))


def export_media_hint(t: Translator, command: str) -> str:
    """Under the export: where the photos and voice notes its columns name are."""
    return t.gettext(
        "Photos et messages vocaux (les noms des colonnes « Photos » et « Produits ») :"
        " %(command)s",
        command=t.isolate(command),
    )
