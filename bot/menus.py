"""Command menus: one per language for everyone, a longer one for each team member.

Menus are hints (`setMyCommands`), never access control: the console's handlers check roles.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.i18n import N_, I18n, Translator
from bot.permissions import allows
from storage.roles import RoleRepository

log = logging.getLogger(__name__)


def command_menu(i18n: I18n, locale: str) -> list[BotCommand]:
    t = i18n.translator(locale)
    return [
        BotCommand("start", t.gettext("Accueil")),
        BotCommand("apply", t.gettext("Candidater à un marché")),
        BotCommand("info", t.gettext("Marchés, dates et formations")),
        BotCommand("status", t.gettext("Ma candidature")),
        BotCommand("correct", t.gettext("Corriger ma candidature")),
        BotCommand("reminders", t.gettext("Mes rappels")),
        BotCommand("language", t.gettext("Changer de langue")),
        BotCommand("settings", t.gettext("Réglages : questions lues à voix haute")),
        BotCommand("privacy", t.gettext("Mes données personnelles")),
        BotCommand("ask", t.gettext("Poser une question aux organisateurs")),
        BotCommand("help", t.gettext("Aide")),
    ]


# The console's commands, in menu order, each with the permission that runs it
# (bot/permissions.py): a member's menu, /help and welcome list only what they may use.
CONSOLE: tuple[tuple[str, str, str], ...] = (
    ("review", "review", N_("Examiner les candidatures")),
    ("app", "review", N_("Voir une candidature par sa référence")),
    ("find", "review", N_("Chercher une candidature")),
    ("questions", "questions", N_("Les questions des membres")),
    ("export", "export", N_("Exporter les candidatures (Excel, CSV)")),
    ("stats", "export", N_("Statistiques et graphique")),
    ("media", "export", N_("Photos et messages vocaux (zip)")),
    ("attendance", "train", N_("Présence à une formation (code QR)")),
    ("impact", "export", N_("Rapport d'impact pour les partenaires")),
    ("close", "decide", N_("Fermer les candidatures d'une phase")),
    ("open", "decide", N_("Rouvrir les candidatures d'une phase")),
    ("stands", "decide", N_("Attribuer les stands d'une phase")),
    ("arrivals", "review", N_("Arrivées des exposants le jour du marché")),
    ("broadcast", "broadcast", N_("Envoyer une annonce")),
    ("broadcasts", "broadcast", N_("Les annonces envoyées")),
    ("poster", "broadcast", N_("Affiche à imprimer, avec un code QR")),
    ("notifications", "decide", N_("Avis : résumé du jour ou tout de suite")),
    ("reload", "catalogue", N_("Recharger le catalogue des marchés")),
    ("catalogue", "catalogue", N_("Recevoir ou remplacer le catalogue")),
    ("voice", "catalogue", N_("Enregistrer les questions à écouter")),
    ("invite", "team", N_("Inviter quelqu'un dans l'équipe")),
    ("grant", "team", N_("Donner un rôle dans l'équipe")),
    ("revoke", "team", N_("Retirer un rôle")),
    ("team", "team", N_("L'équipe")),
    # Operations are for admins only (a backup holds every applicant's data).
    ("backup", "operate", N_("Sauvegarde de la base de données")),
    ("health", "operate", N_("État du bot")),
)


def console_commands(t: Translator, role: str | None) -> list[BotCommand]:
    """The console's commands `role` may use, described in `t`'s language."""
    return [
        BotCommand(command, t.gettext(description))
        for command, permission, description in CONSOLE
        if allows(role, permission)
    ]


def team_menu(i18n: I18n, locale: str, role: str = "admin") -> list[BotCommand]:
    return [*command_menu(i18n, locale), *console_commands(i18n.translator(locale), role)]


# Telegram shows a user the first menu set among: their chat + their app's language, their
# chat, all private chats + language, all private chats, default + language, default
# (https://core.telegram.org/bots/api#determining-list-of-commands). A menu set only for "fr"
# and "ar" is not seen by an app in English: each scope also gets one without a language, in
# French, the bot's first language.
DEFAULT_MENU_LOCALE = "fr"


def menu_locales(i18n: I18n) -> tuple[str, ...]:
    """The bot's languages that can have a menu of their own.

    setMyCommands takes "a two-letter ISO 639-1 language code"
    (https://core.telegram.org/bots/api#setmycommands) and refuses any other. Tamazight has
    no such code (`zgh` is ISO 639-3), and no Telegram app runs in it anyway: a member who
    reads the bot in Tamazight sees the menu of their app's language, or the default one in
    French; the bot's own screens, reached from the menu, are in Tamazight."""
    return tuple(locale for locale in i18n.locales if len(locale) == 2 and locale.isalpha())


async def set_team_menus(bot: Bot, i18n: I18n, roles: RoleRepository) -> None:
    """Team members see the console's commands in their menu; a hint, not access control."""
    for member in await roles.team():
        scope = BotCommandScopeChat(member.user_id)
        try:
            await bot.set_my_commands(
                team_menu(i18n, DEFAULT_MENU_LOCALE, member.role), scope=scope
            )
            for locale in menu_locales(i18n):
                await bot.set_my_commands(
                    team_menu(i18n, locale, member.role), scope=scope, language_code=locale
                )
        except TelegramError:  # the member never opened the bot: no chat yet
            log.info("no command menu for team member %s yet", member.user_id)


async def set_public_menus(bot: Bot, i18n: I18n) -> None:
    """The default menu (no language: any app language without its own) and one per locale.
    A failure is logged, not fatal: menus are hints, and the bot works without them."""
    try:
        await bot.set_my_commands(command_menu(i18n, DEFAULT_MENU_LOCALE))
        for locale in menu_locales(i18n):
            await bot.set_my_commands(command_menu(i18n, locale), language_code=locale)
    except TelegramError as error:
        log.warning("the public command menus could not be set: %s", error)


async def clear_team_menu(bot: Bot, i18n: I18n, user_id: int) -> None:
    """After /revoke: the former member sees the public menu again, whatever their language."""
    for locale in (None, *menu_locales(i18n)):
        try:
            await bot.delete_my_commands(scope=BotCommandScopeChat(user_id), language_code=locale)
        except TelegramError:
            log.info("no command menu to clear for %s", user_id)
            return
