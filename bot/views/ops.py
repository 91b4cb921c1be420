"""How the admins' operations texts read: /health, /backup's caption, error reports."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Any

from babel.units import format_unit

from bot.i18n import Translator
from bot.services.monitoring import Health, StorageLoss
from storage.db import DELETED


def size_text(t: Translator, size: int) -> str:
    """`340 ko`, `1,2 Mo` / `1,2 م.ب`: units and decimal marks from CLDR, per language."""
    if size < 1_000_000:
        return format_unit(round(size / 1000), "digital-kilobyte", "short", locale=t.babel_locale)
    return format_unit(
        round(size / 1_000_000, 1), "digital-megabyte", "short", locale=t.babel_locale
    )


def uptime_text(t: Translator, uptime: timedelta) -> str:
    minutes = int(uptime.total_seconds()) // 60
    days, hours, minutes = minutes // (24 * 60), minutes // 60 % 24, minutes % 60
    if days:
        return t.ngettext(
            "%(count)s jour, %(hours)s h %(minutes)s min",
            "%(count)s jours, %(hours)s h %(minutes)s min",
            days,
            hours=hours,
            minutes=minutes,
        )
    return t.gettext("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)


def database_line(t: Translator, health: Health, zone: tzinfo) -> str:
    loss = health.storage_loss
    if loss is None:
        return t.gettext(
            "Base de données : %(size)s", size=t.isolate(size_text(t, health.database_bytes))
        )
    time = t.datetime(loss.since.astimezone(zone))
    if loss.problem == DELETED:
        return t.gettext(
            "Base de données : ⚠️ fichier supprimé (vu le %(time)s). Plus rien n'est"
            " enregistré ; /backup envoie les données que le bot a encore.",
            time=time,
        )
    return t.gettext(
        "Base de données : ⚠️ fichier remplacé (vu le %(time)s). Plus rien n'est"
        " enregistré ; /backup envoie les données que le bot a encore.",
        time=time,
    )


def storage_alert_text(t: Translator, loss: StorageLoss, zone: tzinfo, rescue: str | None) -> str:
    """To the admins, sent directly: the outbox lives in the database that is gone."""
    lines = [
        t.gettext(
            "🚨 Le fichier de la base de données a été supprimé pendant que le bot tournait"
            " (vu le %(time)s).",
            time=t.datetime(loss.since.astimezone(zone)),
        )
        if loss.problem == DELETED
        else t.gettext(
            "🚨 Le fichier de la base de données a été remplacé par un autre pendant que le bot"
            " tournait (vu le %(time)s).",
            time=t.datetime(loss.since.astimezone(zone)),
        ),
        t.gettext(
            "Le bot n'enregistre plus rien : il répond aux utilisateurs qu'il est"
            " momentanément indisponible."
        ),
        t.gettext(
            "Une copie des données que le bot avait encore est sur le serveur : %(file)s."
            " Remettez-la à la place de la base (DATABASE_PATH), puis redémarrez le bot.",
            file=t.isolate(rescue),
        )
        if rescue
        else t.gettext(
            "Aucune copie n'a pu être faite sur le serveur : demandez-la avec /backup avant"
            " de redémarrer le bot."
        ),
    ]
    return t.start_rtl("\n".join(lines))


def unavailable_text(t: Translator) -> str:
    return t.start_rtl(
        t.gettext(
            "⏳ Le service est momentanément indisponible : ce que vous envoyez maintenant ne"
            " serait pas enregistré. Réessayez un peu plus tard."
        )
    )


def health_text(t: Translator, health: Health, zone: tzinfo) -> str:
    backup = (
        t.gettext(
            "Dernière sauvegarde automatique : %(time)s",
            time=t.datetime(health.last_backup.astimezone(zone)),
        )
        if health.last_backup
        else t.gettext("Dernière sauvegarde automatique : aucune")
    )
    error = (
        t.gettext(
            "Dernière erreur : %(error)s, %(time)s",
            error=t.isolate(health.last_error.error),
            time=t.datetime(health.last_error.at.astimezone(zone)),
        )
        if health.last_error
        else t.gettext("Dernière erreur : aucune")
    )
    sending = (
        t.gettext(
            "Envois : ⚠️ en échec depuis %(time)s",
            time=t.datetime(health.failing_since.astimezone(zone)),
        )
        if health.failing_since
        else t.gettext("Envois : ✅ normaux")
    )
    lines = [
        t.gettext("🩺 État du bot"),
        t.gettext("Version : %(version)s", version=t.isolate(health.version)),
        t.gettext("En marche depuis : %(uptime)s", uptime=uptime_text(t, health.uptime)),
        database_line(t, health, zone),
        t.ngettext(
            "File d'envoi : %(count)s message en attente",
            "File d'envoi : %(count)s messages en attente",
            health.pending,
        ),
        sending,
        backup,
        error,
    ]
    return t.start_rtl("\n".join(lines))


def backup_caption(t: Translator, made: datetime, zone: tzinfo) -> str:
    return t.start_rtl(
        t.gettext(
            "💾 Sauvegarde de la base du %(time)s. Elle contient des données personnelles :"
            " gardez-la en lieu sûr.",
            time=t.datetime(made.astimezone(zone)),
        )
    )


def backup_too_large_text(t: Translator, size: int) -> str:
    return t.start_rtl(
        t.gettext(
            "La sauvegarde (%(size)s) dépasse la limite de Telegram (50 Mo)."
            " Les sauvegardes quotidiennes sont sur le serveur, dans le dossier BACKUP_DIR.",
            size=t.isolate(size_text(t, size)),
        )
    )


def error_report_text(t: Translator, params: Mapping[str, Any], zone: tzinfo) -> str:
    """An error report for admins: technical names only, no personal data."""
    count = int(params.get("count", 1))
    at = datetime.fromisoformat(str(params["at"])).astimezone(zone)
    handler = params.get("handler")
    lines = [
        t.ngettext(
            "⚠️ %(count)s erreur du bot, la dernière le %(time)s.",
            "⚠️ %(count)s erreurs du bot, la dernière le %(time)s.",
            count,
            time=t.datetime(at),
        ),
        t.gettext("Erreur : %(error)s", error=t.isolate(params.get("error", ""))),
        t.gettext("Détail : %(message)s", message=t.isolate(params.get("message", ""))),
        t.gettext("Mise à jour : %(update)s", update=t.isolate(params.get("update", ""))),
        t.gettext(
            "Gestionnaire : %(handler)s",
            handler=t.isolate(handler) if handler else t.gettext("inconnu"),
        ),
        t.gettext(
            "Les erreurs suivantes seront comptées dans le prochain rapport. Voir aussi /health."
        ),
    ]
    return t.start_rtl("\n".join(lines))


def undelivered_text(t: Translator, params: Mapping[str, Any]) -> str:
    """For admins and organizers: messages to applicants that did not surely arrive."""
    uncertain, failed = int(params.get("uncertain", 0)), int(params.get("failed", 0))
    lines = [t.gettext("⚠️ Des messages aux candidats n'ont pas été remis avec certitude.")]
    if uncertain:
        lines.append(
            t.ngettext(
                "❓ %(count)s message a peut-être été reçu : Telegram n'a pas confirmé son envoi."
                " Il ne sera pas renvoyé.",
                "❓ %(count)s messages ont peut-être été reçus : Telegram n'a pas confirmé leur"
                " envoi. Ils ne seront pas renvoyés.",
                uncertain,
            )
        )
    if failed:
        lines.append(
            t.ngettext(
                "❌ %(count)s message n'a pas été remis.",
                "❌ %(count)s messages n'ont pas été remis.",
                failed,
            )
        )
    references = [t.isolate(str(reference)) for reference in params.get("references", [])]
    if references:
        listed = t.join(references)
        more = int(params.get("more", 0))
        if more:
            listed = t.ngettext(
                "%(references)s et %(count)s autre",
                "%(references)s et %(count)s autres",
                more,
                references=listed,
            )
        lines.append(t.gettext("Candidatures concernées : %(references)s", references=listed))
    lines.append(
        t.gettext(
            "Prévenez ces candidats autrement. Voir /app pour une candidature, /broadcasts pour les annonces."
        )
    )
    return t.start_rtl("\n".join(lines))


def outage_text(t: Translator, params: Mapping[str, Any], zone: tzinfo, waiting: int) -> str:
    """For admins: deliveries have been failing for a while (sent once Telegram takes it)."""
    since = datetime.fromisoformat(str(params["since"])).astimezone(zone)
    return t.start_rtl(
        t.ngettext(
            "⚠️ Les envois échouent depuis %(time)s : Telegram ou le réseau ne répond pas."
            " %(count)s message attend et partira dès que possible. Voir /health.",
            "⚠️ Les envois échouent depuis %(time)s : Telegram ou le réseau ne répond pas."
            " %(count)s messages attendent et partiront dès que possible. Voir /health.",
            waiting,
            time=t.datetime(since),
        )
    )


def recovered_text(t: Translator, params: Mapping[str, Any], zone: tzinfo, waiting: int) -> str:
    """For admins: deliveries work again, after failing from `since` to `until`."""
    since = datetime.fromisoformat(str(params["since"])).astimezone(zone)
    until = datetime.fromisoformat(str(params["until"])).astimezone(zone)
    end = t.time(until) if until.date() == since.date() else t.datetime(until)
    return t.start_rtl(
        t.ngettext(
            "✅ Les envois fonctionnent de nouveau. Ils ont échoué du %(since)s à %(until)s."
            " %(count)s message en attente part maintenant.",
            "✅ Les envois fonctionnent de nouveau. Ils ont échoué du %(since)s à %(until)s."
            " %(count)s messages en attente partent maintenant.",
            waiting,
            since=t.datetime(since),
            until=end,
        )
    )
