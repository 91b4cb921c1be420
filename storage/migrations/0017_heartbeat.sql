-- The running bot's sign of life, read by `python -m bot check` (a supervisor's health check).
-- One row, rewritten every minute by a job: `started_at` is the process's start, `written_at`
-- shows the jobs run, `updates_at` the
-- last time updates came in (a getUpdates answered; in webhook mode, the server serving),
-- `outbox_at` the last turn of the outbox dispatcher's loop. Times are UTC, ISO 8601.
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    started_at TEXT NOT NULL,
    written_at TEXT NOT NULL,
    updates_at TEXT,
    outbox_at TEXT,
    mode TEXT NOT NULL,
    pid INTEGER NOT NULL
);
