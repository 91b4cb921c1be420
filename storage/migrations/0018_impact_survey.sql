-- The impact survey after a market phase (bot/services/impact.py): one row per answer given,
-- the code of the button pressed (or the voice note's file id, or 'skip'), kept as given.
-- The next question is the first without a row, so the survey resumes where it stopped.
CREATE TABLE impact_answers (
    application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    question        TEXT NOT NULL,
    value           TEXT NOT NULL,
    answered_at     TEXT NOT NULL,
    PRIMARY KEY (application_id, question)
);
