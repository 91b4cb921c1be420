-- The help desk: a member's question to the organizers (a ticket) and its answer.
-- Who asked is `user_id`; their applications are read when the ticket is shown, so the
-- organizers see the statuses of that moment. Erased with the member's data, and
-- QUESTION_RETENTION_DAYS after the answer (or after the question, if never answered).
CREATE TABLE tickets (
    -- AUTOINCREMENT: an erased ticket's number is never given again, so that an old message
    -- naming Q-6 (a reply to it, a dedupe key) never points at someone else's question.
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    first_name  TEXT NOT NULL DEFAULT '',     -- the member's Telegram first name, for the team
    locale      TEXT NOT NULL,                -- the language the answer must be written in
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'voice', 'photo')),
    text        TEXT,                         -- the question, or a photo's caption
    file_id     TEXT,                         -- a voice note's or photo's Telegram file id
    asked_at    TEXT NOT NULL,                -- UTC
    answer      TEXT,                         -- the organizer's words, sent verbatim
    answered_by INTEGER,                      -- the organizer's Telegram id
    answered_at TEXT                          -- UTC; NULL while the ticket is open
);
CREATE INDEX tickets_open ON tickets(asked_at) WHERE answered_at IS NULL;
CREATE INDEX tickets_user ON tickets(user_id);

-- What the next message of a user is for: a member who pressed "Ask a question"
-- (ticket_id NULL), or an organizer who pressed "Answer" on a ticket.
CREATE TABLE ticket_waits (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    ticket_id   INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
    since       TEXT NOT NULL                 -- UTC
);
