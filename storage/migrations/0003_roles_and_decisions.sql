-- The organizing team, and what the console needs to decide on applications.

CREATE TABLE roles (
    user_id         INTEGER PRIMARY KEY,      -- Telegram user id (may not have written yet)
    role            TEXT NOT NULL CHECK (role IN ('admin', 'organizer', 'reviewer')),
    granted_by      INTEGER,                  -- NULL for admins from ADMIN_IDS
    granted_at      TEXT NOT NULL,
    from_settings   INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE applications ADD COLUMN decision_deadline TEXT;  -- UTC; to confirm an offer/acceptance
ALTER TABLE applications ADD COLUMN reject_reason TEXT;
CREATE INDEX applications_deadline ON applications(decision_deadline)
    WHERE decision_deadline IS NOT NULL;
