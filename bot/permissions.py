"""Which roles of the organizing team may do what: read by the guards (bot/handlers/access.py)
and by what tells members their commands (command menus, /help, the welcome)."""

from __future__ import annotations

PERMISSIONS: dict[str, frozenset[str]] = {
    "review": frozenset({"reviewer", "organizer", "admin"}),
    "decide": frozenset({"organizer", "admin"}),
    "export": frozenset({"organizer", "admin"}),
    "broadcast": frozenset({"organizer", "admin"}),
    "catalogue": frozenset({"organizer", "admin"}),
    # The help desk: who is told of members' questions, sees /questions and answers them.
    "questions": frozenset({"reviewer", "organizer", "admin"}),
    # Trainers: /attendance (a session's QR code, the list to mark by hand).
    "train": frozenset({"organizer", "admin"}),
    "team": frozenset({"admin"}),
    # Backups hold every applicant's personal data: admins only.
    "operate": frozenset({"admin"}),
}


def allows(role: str | None, permission: str) -> bool:
    return role in PERMISSIONS[permission]
