-- A freed training seat offered for a limited time (issue 17, follow-up): the offer holds
-- until `offer_expires_at` (UTC); unanswered by then, it passes to the next one waiting.
-- `lapsed_at`: this member let an offer on this training lapse; they stay on the waiting list,
-- after those who never did, and are never offered a seat passed on by an expiry (so that a
-- seat never goes back and forth between two members who do not answer).
ALTER TABLE training_seats ADD COLUMN offer_expires_at TEXT;
ALTER TABLE training_seats ADD COLUMN lapsed_at TEXT;

-- How long an offer holds and how long before the session it ends at the latest; one row,
-- written at start-up from TRAINING_OFFER_HOURS and TRAINING_OFFER_CUTOFF_HOURS (bot/config.py),
-- read by the transactions that make an offer.
CREATE TABLE seat_offer_terms (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    hours           INTEGER NOT NULL CHECK (hours > 0),
    cutoff_hours    INTEGER NOT NULL CHECK (cutoff_hours >= 0)
);
INSERT INTO seat_offer_terms (id, hours, cutoff_hours) VALUES (1, 48, 24);

-- Offers made before this version: they hold 48 hours from when they were made.
UPDATE training_seats
SET offer_expires_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', changed_at, '+48 hours')
WHERE state = 'proposed';
