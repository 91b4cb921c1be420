-- Users and the market catalogue. Times are ISO 8601 text: *_utc in UTC, *_local as wall time
-- in the market's zone (the truth for events), from which *_utc is recomputed at start-up.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,          -- Telegram user id
    locale      TEXT,                         -- chosen language; NULL until the user picks one
    first_name  TEXT NOT NULL DEFAULT '',
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    blocked     INTEGER NOT NULL DEFAULT 0    -- the user blocked the bot (Forbidden)
);

CREATE TABLE markets (
    code        TEXT PRIMARY KEY,
    ref_prefix  TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1    -- 0 once removed from the catalogue file
);

CREATE TABLE phases (
    code                TEXT PRIMARY KEY,     -- "ifrane-2"
    market_code         TEXT NOT NULL REFERENCES markets(code),
    number              INTEGER NOT NULL,
    starts_local        TEXT NOT NULL,
    ends_local          TEXT NOT NULL,
    deadline_local      TEXT NOT NULL,
    starts_utc          TEXT NOT NULL,
    ends_utc            TEXT NOT NULL,
    deadline_utc        TEXT NOT NULL,
    capacity            INTEGER NOT NULL CHECK (capacity > 0),
    applications_open   INTEGER NOT NULL DEFAULT 1,
    active              INTEGER NOT NULL DEFAULT 1,
    UNIQUE (market_code, number)
);

CREATE TABLE trainings (
    code                TEXT PRIMARY KEY,
    phase_code          TEXT NOT NULL REFERENCES phases(code),
    starts_local        TEXT NOT NULL,
    starts_utc          TEXT NOT NULL,
    duration_minutes    INTEGER NOT NULL,
    seats               INTEGER NOT NULL CHECK (seats > 0),
    active              INTEGER NOT NULL DEFAULT 1
);
