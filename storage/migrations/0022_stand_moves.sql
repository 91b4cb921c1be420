-- A confirmed stand moved to a free one: the card it replaced keeps its token here, so that
-- a scan of the old card is refused and names the exhibitor's stand now. Also the trail of
-- who moved which exhibitor, from where to where, and when.
CREATE TABLE stand_moves (
    old_token TEXT PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    phase_code TEXT NOT NULL,
    from_stand TEXT NOT NULL,
    to_stand TEXT NOT NULL,
    moved_by INTEGER NOT NULL,
    moved_at TEXT NOT NULL
);
CREATE INDEX stand_moves_application ON stand_moves (application_id);
