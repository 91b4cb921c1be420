-- Applications to a market phase, their answers one row each, and consents (law 09-08).

CREATE TABLE consents (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    phase_code  TEXT NOT NULL REFERENCES phases(code),
    version     TEXT NOT NULL,
    accepted    INTEGER NOT NULL,
    decided_at  TEXT NOT NULL
);

CREATE TABLE applications (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    phase_code      TEXT NOT NULL REFERENCES phases(code),
    status          TEXT NOT NULL DEFAULT 'draft',
    reference       TEXT UNIQUE,
    consent_id      INTEGER REFERENCES consents(id),
    editing         TEXT,                 -- question being edited from the summary, if any
    phone           TEXT,                 -- copies of answers used to spot duplicate applications
    identifier      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    submitted_at    TEXT
);
-- One draft per user at a time: the questionnaire resumes it.
CREATE UNIQUE INDEX applications_one_draft ON applications(user_id) WHERE status = 'draft';
CREATE INDEX applications_phase_status ON applications(phase_code, status);
CREATE INDEX applications_user ON applications(user_id);
CREATE INDEX applications_phone ON applications(phone) WHERE phone IS NOT NULL;
CREATE INDEX applications_identifier ON applications(identifier) WHERE identifier IS NOT NULL;

CREATE TABLE answers (
    application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    question        TEXT NOT NULL,
    value           TEXT NOT NULL,        -- JSON
    complete        INTEGER NOT NULL DEFAULT 1,  -- 0 while a multi-select is being ticked
    answered_at     TEXT NOT NULL,
    PRIMARY KEY (application_id, question)
);

CREATE TABLE status_changes (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    from_status     TEXT NOT NULL,
    to_status       TEXT NOT NULL,
    actor_id        INTEGER,              -- NULL when the system (a deadline) made the change
    reason          TEXT,
    changed_at      TEXT NOT NULL
);
