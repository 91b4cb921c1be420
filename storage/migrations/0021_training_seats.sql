-- Trainings with seats, attendance and attestations (issue 17, items 3 and 4).
-- A seat is taken when the application comes to hold a place at its phase (accepted, offered,
-- confirmed): ticking a training in the form is a wish. `asked_at` (the application's
-- submission) orders the waiting list of a full training.
CREATE TABLE training_seats (
    application_id  INTEGER NOT NULL REFERENCES applications(id),
    training_code   TEXT NOT NULL REFERENCES trainings(code),
    user_id         INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('held', 'queued', 'proposed', 'cancelled', 'released')),
    asked_at        TEXT NOT NULL,
    changed_at      TEXT NOT NULL,
    attended_at     TEXT,                   -- signed in (the session's QR code, or the trainer)
    marked_by       INTEGER,                -- the trainer who marked by hand; NULL for a scan
    PRIMARY KEY (application_id, training_code)
);
CREATE INDEX training_seats_queue ON training_seats (training_code, state, asked_at);
CREATE INDEX training_seats_user ON training_seats (user_id);

-- The token of a session's QR code (`/attendance`): one per training, unguessable.
CREATE TABLE attendance_codes (
    training_code   TEXT PRIMARY KEY REFERENCES trainings(code),
    token           TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL
);

-- Attestations of participation: a training attended, or a market phase as a confirmed
-- exhibitor. The code is what `/verify` checks; the names are those of the day it was issued.
CREATE TABLE attestations (
    code            TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('training', 'phase')),
    subject         TEXT NOT NULL,          -- the training's code, or the phase's
    application_id  INTEGER NOT NULL REFERENCES applications(id),
    user_id         INTEGER NOT NULL,
    structure_name  TEXT NOT NULL,
    person_name     TEXT NOT NULL,
    issued_at       TEXT NOT NULL,
    UNIQUE (kind, subject, application_id)
);
CREATE INDEX attestations_user ON attestations (user_id);

-- Applications already holding a place keep the trainings they were promised: a seat each.
INSERT INTO training_seats (application_id, training_code, user_id, state, asked_at, changed_at)
SELECT a.id, j.value, a.user_id, 'held', COALESCE(a.submitted_at, a.created_at), a.updated_at
FROM applications AS a
JOIN answers AS w ON w.application_id = a.id AND w.question = 'trainings' AND w.complete = 1
JOIN json_each(w.value) AS j
JOIN trainings AS t ON t.code = j.value
WHERE a.status IN ('accepted', 'offered', 'confirmed') AND a.erased_at IS NULL;

-- Erasure (storage/privacy.py sets `erased_at` and the surrogate user id in one UPDATE): the
-- attestations, which carry names, go; the seats stay counted, under the surrogate.
CREATE TRIGGER trainings_follow_erasure AFTER UPDATE OF erased_at ON applications
WHEN NEW.erased_at IS NOT NULL
BEGIN
    DELETE FROM attestations WHERE application_id = NEW.id;
    UPDATE training_seats SET user_id = NEW.user_id WHERE application_id = NEW.id;
END;
