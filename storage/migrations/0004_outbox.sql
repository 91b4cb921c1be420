-- The outbox: every message that is not a direct reply is a row, sent by one dispatcher.

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    recipient_id    INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('notification', 'reminder', 'broadcast')),
    template        TEXT NOT NULL,            -- what to render, in the recipient's language at send time
    params          TEXT NOT NULL DEFAULT '{}',  -- JSON
    not_before      TEXT NOT NULL,            -- UTC
    dedupe_key      TEXT NOT NULL UNIQUE,     -- the same delivery is never queued twice
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                        ('pending', 'sending', 'sent', 'failed', 'blocked', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    message_id      INTEGER,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX deliveries_due ON deliveries(status, not_before);
