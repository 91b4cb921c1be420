"""The sandbox: the real bot, a local Bot API server and a chat page in a browser, offline.

`make demo` (or `python -m bot.sandbox`) needs no token and no internet: it starts the local
Bot API server (`localbotapi/`) on 127.0.0.1, the real bot (`python -m bot`, a subprocess)
against it with a database of its own, and a page on 127.0.0.1 that shows three people side by
side — a member writing in Arabic, a member writing in French, an organizer (an admin) — each
with their chat as Telegram would show it: messages, buttons under them, the keyboard that
replaces the phone's, contact sharing, photos, voice notes, files to download. Organizers
rehearse a campaign there; newcomers see the product.
"""
