-- Announcements from organizers to chosen groups of applicants. The broadcast is built step by
-- step (a draft saved at each step), then each recipient becomes one outbox row, all queued in
-- one transaction: after a crash the pending rows are simply sent on, none twice.

CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    author_id           INTEGER NOT NULL,
    status              TEXT NOT NULL DEFAULT 'draft'
                            CHECK (status IN ('draft', 'sending', 'done', 'cancelled')),
    stage               TEXT NOT NULL DEFAULT 'audience',  -- the draft's current step
    audience            TEXT NOT NULL DEFAULT '{}',  -- JSON: market, phase, status, sector, province, language
    texts               TEXT NOT NULL DEFAULT '{}',  -- JSON: {locale: text}; "*" = one text for everyone
    photo               TEXT,                        -- Telegram file_id
    recipients          INTEGER NOT NULL DEFAULT 0,
    progress_chat_id    INTEGER,
    progress_message_id INTEGER,
    created_at          TEXT NOT NULL,
    started_at          TEXT,
    finished_at         TEXT
);
-- One draft per organizer: /broadcast resumes it.
CREATE UNIQUE INDEX broadcasts_one_draft ON broadcasts(author_id) WHERE status = 'draft';

ALTER TABLE deliveries ADD COLUMN broadcast_id INTEGER REFERENCES broadcasts(id);
CREATE INDEX deliveries_broadcast ON deliveries(broadcast_id, status) WHERE broadcast_id IS NOT NULL;
