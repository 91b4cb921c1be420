-- Invitations to the organizing team: a one-time deep link (`/start inv_...`) an admin sends
-- to a person; whoever opens it becomes a member only once an admin confirms. Only a hash of
-- the link's secret is kept: the database (and its backups) cannot be used to join the team.
CREATE TABLE invites (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL,
    created_by   INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    claimed_by   INTEGER,          -- who opened the link (only the first person counts)
    claimed_at   TEXT,
    claimed_name TEXT,             -- their first name, for the admin who confirms
    decided_by   INTEGER,
    decided_at   TEXT,
    outcome      TEXT              -- 'granted' or 'refused', once an admin has decided
);
CREATE INDEX invites_expiry ON invites(expires_at);
