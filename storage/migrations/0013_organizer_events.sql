-- What the organizers are told (issue 15, item 4): declines, withdrawals, expiries, automatic
-- offers and places waiting for an organizer. Each row is written by the transaction of the
-- status change it comes from; `digest_at` is the daily digest it belongs to (UTC, 18:00 in
-- the market's time zone), so a digest lists exactly its own events, once.
CREATE TABLE organizer_events (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,             -- the new status, or 'free' (a place waits)
    application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    phase_code      TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,             -- UTC
    digest_at       TEXT NOT NULL,             -- UTC
    -- A free place offered with an organizer's button: by whom and when (one offer per place).
    handled_by      INTEGER,
    handled_at      TEXT
);
CREATE INDEX organizer_events_digest ON organizer_events(digest_at);

-- Per team member: told at once (1) or in the daily digest (0, the default: no row).
CREATE TABLE organizer_preferences (
    user_id         INTEGER PRIMARY KEY,
    immediate       INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT NOT NULL
);

-- The catalogue replaced from the chat (issue 15, item 6): who, when, and where the previous
-- file was kept.
CREATE TABLE catalogue_changes (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL,
    changed_at      TEXT NOT NULL,             -- UTC
    file_name       TEXT NOT NULL,             -- the document's name as sent
    previous_copy   TEXT                       -- the dated copy of the file it replaced
);
