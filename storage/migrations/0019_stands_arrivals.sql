-- Stands of a phase: proposed (confirmed_at NULL) then confirmed, which sends the stand card
-- whose QR code carries `token` (`/start arr_<token>`). Arrival is not an application status:
-- a row of `arrivals`, written once, by whom and how (a scan or by hand).
CREATE TABLE stand_assignments (
    application_id INTEGER PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    phase_code TEXT NOT NULL,
    stand TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    confirmed_at TEXT,
    confirmed_by INTEGER,
    token TEXT UNIQUE,
    UNIQUE (phase_code, stand)
);
CREATE TABLE arrivals (
    application_id INTEGER PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    phase_code TEXT NOT NULL,
    arrived_at TEXT NOT NULL,
    marked_by INTEGER NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('scan', 'hand'))
);
CREATE INDEX arrivals_phase ON arrivals (phase_code);
