-- Personal data (law 09-08): erasure on request or after the retention period, and the
-- applicant's corrections of a sent application.

-- When an application's personal data was erased. The row stays, without anything that
-- identifies the applicant, so that counts by phase and status and the audit trail survive.
ALTER TABLE applications ADD COLUMN erased_at TEXT;

-- Which answer an applicant corrected after sending, and when: organizers see that it changed.
-- The values are not copied here (they are personal data, kept only in `answers`).
CREATE TABLE answer_changes (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    question        TEXT NOT NULL,
    changed_at      TEXT NOT NULL
);
CREATE INDEX answer_changes_application ON answer_changes(application_id);
