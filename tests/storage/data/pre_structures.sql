BEGIN TRANSACTION;
CREATE TABLE answer_changes (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    question        TEXT NOT NULL,
    changed_at      TEXT NOT NULL
);
INSERT INTO "answer_changes" VALUES(1,1,'town','2026-11-23T09:00:36+00:00');
CREATE TABLE answers (
    application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    question        TEXT NOT NULL,
    value           TEXT NOT NULL,        -- JSON
    complete        INTEGER NOT NULL DEFAULT 1,  -- 0 while a multi-select is being ticked
    answered_at     TEXT NOT NULL,
    PRIMARY KEY (application_id, question)
);
INSERT INTO "answers" VALUES(1,'legal_form','"cooperative"',1,'2026-11-23T09:00:10+00:00');
INSERT INTO "answers" VALUES(1,'structure_name','"Coopérative Tifawin"',1,'2026-11-23T09:00:11+00:00');
INSERT INTO "answers" VALUES(1,'coop_register','"12/2019"',1,'2026-11-23T09:00:12+00:00');
INSERT INTO "answers" VALUES(1,'province','"ifrane"',1,'2026-11-23T09:00:13+00:00');
INSERT INTO "answers" VALUES(1,'town','"Azrou centre"',1,'2026-11-23T09:00:36+00:00');
INSERT INTO "answers" VALUES(1,'sector','"crafts"',1,'2026-11-23T09:00:15+00:00');
INSERT INTO "answers" VALUES(1,'products','"Tapis de laine"',1,'2026-11-23T09:00:16+00:00');
INSERT INTO "answers" VALUES(1,'members','12',1,'2026-11-23T09:00:17+00:00');
INSERT INTO "answers" VALUES(1,'women_members','9',1,'2026-11-23T09:00:18+00:00');
INSERT INTO "answers" VALUES(1,'led_by','"women"',1,'2026-11-23T09:00:19+00:00');
INSERT INTO "answers" VALUES(1,'contact_name','"Fatima Ait"',1,'2026-11-23T09:00:20+00:00');
INSERT INTO "answers" VALUES(1,'phone','"+212612345678"',1,'2026-11-23T09:00:21+00:00');
INSERT INTO "answers" VALUES(1,'stand_needs','["electricity"]',1,'2026-11-23T09:00:22+00:00');
INSERT INTO "answers" VALUES(1,'trainings','[]',1,'2026-11-23T09:00:23+00:00');
INSERT INTO "answers" VALUES(1,'programmes','[]',1,'2026-11-23T09:00:24+00:00');
INSERT INTO "answers" VALUES(1,'photos','["photo-file-1"]',1,'2026-11-23T09:00:25+00:00');
INSERT INTO "answers" VALUES(2,'legal_form','"association"',1,'2026-11-23T09:00:41+00:00');
INSERT INTO "answers" VALUES(3,'legal_form','"association"',1,'2026-11-23T09:00:46+00:00');
INSERT INTO "answers" VALUES(3,'structure_name','"Association Amal"',1,'2026-11-23T09:00:47+00:00');
INSERT INTO "answers" VALUES(3,'province','"ifrane"',1,'2026-11-23T09:00:48+00:00');
INSERT INTO "answers" VALUES(3,'town','"Azrou"',1,'2026-11-23T09:00:49+00:00');
INSERT INTO "answers" VALUES(3,'sector','"crafts"',1,'2026-11-23T09:00:50+00:00');
INSERT INTO "answers" VALUES(3,'products','"Tapis de laine"',1,'2026-11-23T09:00:51+00:00');
INSERT INTO "answers" VALUES(3,'members','30',1,'2026-11-23T09:00:52+00:00');
INSERT INTO "answers" VALUES(3,'women_members','30',1,'2026-11-23T09:00:53+00:00');
INSERT INTO "answers" VALUES(3,'led_by','"women"',1,'2026-11-23T09:00:54+00:00');
INSERT INTO "answers" VALUES(3,'contact_name','"Fatima Ait"',1,'2026-11-23T09:00:55+00:00');
INSERT INTO "answers" VALUES(3,'phone','"+212698765432"',1,'2026-11-23T09:00:56+00:00');
INSERT INTO "answers" VALUES(3,'stand_needs','["electricity"]',1,'2026-11-23T09:00:57+00:00');
INSERT INTO "answers" VALUES(3,'trainings','[]',1,'2026-11-23T09:00:58+00:00');
INSERT INTO "answers" VALUES(3,'programmes','["intelaka", "indh"]',1,'2026-11-23T09:00:59+00:00');
INSERT INTO "answers" VALUES(3,'photos','["photo-file-1"]',1,'2026-11-23T09:01:00+00:00');
INSERT INTO "answers" VALUES(5,'legal_form','"auto_entrepreneur"',1,'2026-11-23T09:01:38+00:00');
INSERT INTO "answers" VALUES(5,'structure_name','"Hassan Bijoux"',1,'2026-11-23T09:01:39+00:00');
INSERT INTO "answers" VALUES(5,'rnae','"123456789"',1,'2026-11-23T09:01:40+00:00');
INSERT INTO "answers" VALUES(5,'province','"ifrane"',1,'2026-11-23T09:01:41+00:00');
INSERT INTO "answers" VALUES(5,'town','"Azrou"',1,'2026-11-23T09:01:42+00:00');
INSERT INTO "answers" VALUES(5,'sector','"crafts"',1,'2026-11-23T09:01:43+00:00');
INSERT INTO "answers" VALUES(5,'products','{"voice": "voice-file-1", "duration": 12}',1,'2026-11-23T09:01:44+00:00');
INSERT INTO "answers" VALUES(5,'members','12',1,'2026-11-23T09:01:45+00:00');
INSERT INTO "answers" VALUES(5,'women_members','9',1,'2026-11-23T09:01:46+00:00');
INSERT INTO "answers" VALUES(5,'led_by','"women"',1,'2026-11-23T09:01:47+00:00');
INSERT INTO "answers" VALUES(5,'contact_name','"Fatima Ait"',1,'2026-11-23T09:01:48+00:00');
INSERT INTO "answers" VALUES(5,'phone','"+212622222222"',1,'2026-11-23T09:01:49+00:00');
INSERT INTO "answers" VALUES(5,'stand_needs','["electricity"]',1,'2026-11-23T09:01:50+00:00');
INSERT INTO "answers" VALUES(5,'trainings','[]',1,'2026-11-23T09:01:51+00:00');
INSERT INTO "answers" VALUES(5,'programmes','[]',1,'2026-11-23T09:01:52+00:00');
INSERT INTO "answers" VALUES(5,'photos','["photo-file-1"]',1,'2026-11-23T09:01:53+00:00');
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
, decision_deadline TEXT, reject_reason TEXT, erased_at TEXT);
INSERT INTO "applications" VALUES(1,101,'ifrane-1','accepted','IFR-1-0001',1,NULL,'+212612345678','12/2019','2026-11-23T09:00:07+00:00','2026-11-23T09:00:36+00:00','2026-11-23T09:00:27+00:00','2026-11-26T23:59:59+00:00',NULL,NULL);
INSERT INTO "applications" VALUES(2,101,'ifrane-2','draft',NULL,2,NULL,NULL,NULL,'2026-11-23T09:00:38+00:00','2026-11-23T09:00:41+00:00',NULL,NULL,NULL,NULL);
INSERT INTO "applications" VALUES(3,102,'ifrane-1','rejected','IFR-1-0002',3,NULL,'+212698765432',NULL,'2026-11-23T09:00:43+00:00','2026-11-23T09:01:04+00:00','2026-11-23T09:01:02+00:00',NULL,'other',NULL);
INSERT INTO "applications" VALUES(4,-1,'ifrane-1','withdrawn','ERASED-4',4,NULL,NULL,NULL,'2026-11-23T09:01:08+00:00','2026-11-23T09:01:30+00:00','2026-11-23T09:01:28+00:00',NULL,NULL,'2026-11-23T09:01:33+00:00');
INSERT INTO "applications" VALUES(5,104,'ifrane-2','submitted','IFR-2-0001',5,NULL,'+212622222222','123456789','2026-11-23T09:01:35+00:00','2026-11-23T09:01:55+00:00','2026-11-23T09:01:55+00:00',NULL,NULL,NULL);
CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    author_id           INTEGER NOT NULL,
    status              TEXT NOT NULL DEFAULT 'draft'
                            CHECK (status IN ('draft', 'sending', 'done', 'cancelled')),
    stage               TEXT NOT NULL DEFAULT 'audience',  -- the draft's current step
    audience            TEXT NOT NULL DEFAULT '{}',  -- JSON: market, phase, status, sector, province, language
    texts               TEXT NOT NULL DEFAULT '{}',  -- JSON: {locale: text}; "*" = one text for everyone
    photo               TEXT,                        -- Telegram file_id
    recipients          INTEGER NOT NULL DEFAULT 0,
    progress_chat_id    INTEGER,
    progress_message_id INTEGER,
    created_at          TEXT NOT NULL,
    started_at          TEXT,
    finished_at         TEXT
);
CREATE TABLE catalogue_changes (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL,
    changed_at      TEXT NOT NULL,             -- UTC
    file_name       TEXT NOT NULL,             -- the document's name as sent
    previous_copy   TEXT                       -- the dated copy of the file it replaced
);
CREATE TABLE consents (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    phase_code  TEXT NOT NULL REFERENCES phases(code),
    version     TEXT NOT NULL,
    accepted    INTEGER NOT NULL,
    decided_at  TEXT NOT NULL
);
INSERT INTO "consents" VALUES(1,101,'ifrane-1','2026-11-23',1,'2026-11-23T09:00:07+00:00');
INSERT INTO "consents" VALUES(2,101,'ifrane-2','2026-11-23',1,'2026-11-23T09:00:38+00:00');
INSERT INTO "consents" VALUES(3,102,'ifrane-1','2026-11-23',1,'2026-11-23T09:00:43+00:00');
INSERT INTO "consents" VALUES(4,-1,'ifrane-1','2026-11-23',1,'2026-11-23T09:01:08+00:00');
INSERT INTO "consents" VALUES(5,104,'ifrane-2','2026-11-23',1,'2026-11-23T09:01:35+00:00');
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    recipient_id    INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('notification', 'reminder', 'broadcast')),
    template        TEXT NOT NULL,            -- what to render, in the recipient's language at send time
    params          TEXT NOT NULL DEFAULT '{}',  -- JSON
    not_before      TEXT NOT NULL,            -- UTC
    dedupe_key      TEXT NOT NULL UNIQUE,     -- the same delivery is never queued twice
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                        ('pending', 'sending', 'sent', 'failed', 'blocked', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    message_id      INTEGER,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
, broadcast_id INTEGER REFERENCES broadcasts(id), report INTEGER NOT NULL DEFAULT 0);
INSERT INTO "deliveries" VALUES(1,101,'reminder','draft_deadline','{"application_id": 1}','2027-04-09T23:59:00+00:00','reminder:draft:1:2027-04-09T23:59:00+00:00','cancelled',0,'no longer relevant',NULL,'2026-11-23T09:00:09+00:00',NULL,NULL,0);
INSERT INTO "deliveries" VALUES(2,101,'notification','decision','{"application_id": 1, "status": "accepted", "reason": null, "deadline": "2026-11-26T23:59:59+00:00"}','2026-11-23T09:00:30+00:00','decision:1:accepted:2026-11-23T09:00:30+00:00','pending',0,NULL,NULL,'2026-11-23T09:00:30+00:00',NULL,NULL,0);
INSERT INTO "deliveries" VALUES(3,101,'reminder','confirm_soon','{"application_id": 1}','2026-11-25T23:59:59+00:00','reminder:confirm:1:2026-11-25T23:59:59+00:00','pending',0,NULL,NULL,'2026-11-23T09:00:30+00:00',NULL,NULL,0);
INSERT INTO "deliveries" VALUES(4,101,'reminder','phase_soon','{"application_id": 1, "days": 7}','2027-04-26T10:00:00+00:00','reminder:phase:1:7:2027-04-26T10:00:00+00:00','pending',0,NULL,NULL,'2026-11-23T09:00:30+00:00',NULL,NULL,0);
INSERT INTO "deliveries" VALUES(5,101,'reminder','phase_soon','{"application_id": 1, "days": 1}','2027-05-02T10:00:00+00:00','reminder:phase:1:1:2027-05-02T10:00:00+00:00','pending',0,NULL,NULL,'2026-11-23T09:00:30+00:00',NULL,NULL,0);
INSERT INTO "deliveries" VALUES(6,101,'reminder','draft_deadline','{"application_id": 2}','2027-05-11T23:59:00+00:00','reminder:draft:2:2027-05-11T23:59:00+00:00','pending',0,NULL,NULL,'2026-11-23T09:00:40+00:00',NULL,NULL,0);
INSERT INTO "deliveries" VALUES(7,102,'reminder','draft_deadline','{"application_id": 3}','2027-04-09T23:59:00+00:00','reminder:draft:3:2027-04-09T23:59:00+00:00','cancelled',0,'no longer relevant',NULL,'2026-11-23T09:00:45+00:00',NULL,NULL,0);
INSERT INTO "deliveries" VALUES(8,102,'notification','decision','{"application_id": 3, "status": "rejected", "reason": "other", "deadline": null}','2026-11-23T09:01:04+00:00','decision:3:rejected:2026-11-23T09:01:04+00:00','pending',0,NULL,NULL,'2026-11-23T09:01:04+00:00',NULL,NULL,0);
INSERT INTO "deliveries" VALUES(9,-1,'reminder','draft_deadline','{}','2027-04-09T23:59:00+00:00','erased:9','cancelled',0,NULL,NULL,'2026-11-23T09:01:10+00:00',NULL,NULL,0);
INSERT INTO "deliveries" VALUES(10,104,'reminder','draft_deadline','{"application_id": 5}','2027-05-11T23:59:00+00:00','reminder:draft:5:2027-05-11T23:59:00+00:00','cancelled',0,'no longer relevant',NULL,'2026-11-23T09:01:37+00:00',NULL,NULL,0);
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    started_at TEXT NOT NULL,
    written_at TEXT NOT NULL,
    updates_at TEXT,
    outbox_at TEXT,
    mode TEXT NOT NULL,
    pid INTEGER NOT NULL
);
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
CREATE TABLE markets (
    code        TEXT PRIMARY KEY,
    ref_prefix  TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1    -- 0 once removed from the catalogue file
);
INSERT INTO "markets" VALUES('ifrane','IFR','Africa/Casablanca',1);
INSERT INTO "markets" VALUES('mohammedia','MOH','Africa/Casablanca',1);
CREATE TABLE organizer_events (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,             -- the new status, or 'free' (a place waits)
    application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    phase_code      TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,             -- UTC
    digest_at       TEXT NOT NULL,             -- UTC
    -- A free place offered with an organizer's button: by whom and when (one offer per place).
    handled_by      INTEGER,
    handled_at      TEXT
);
INSERT INTO "organizer_events" VALUES(1,'withdrawn',4,'ifrane-1','2026-11-23T09:01:30+00:00','2026-11-23T18:00:00+00:00',NULL,NULL);
CREATE TABLE organizer_preferences (
    user_id         INTEGER PRIMARY KEY,
    immediate       INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT NOT NULL
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
INSERT INTO "phases" VALUES('ifrane-1','ifrane',1,'2027-05-03T10:00:00','2027-05-09T20:00:00','2027-04-12T23:59:00','2027-05-03T10:00:00+00:00','2027-05-09T20:00:00+00:00','2027-04-12T23:59:00+00:00',70,1,1);
INSERT INTO "phases" VALUES('ifrane-2','ifrane',2,'2027-06-07T10:00:00','2027-06-13T20:00:00','2027-05-14T23:59:00','2027-06-07T10:00:00+00:00','2027-06-13T20:00:00+00:00','2027-05-14T23:59:00+00:00',70,1,1);
INSERT INTO "phases" VALUES('ifrane-3','ifrane',3,'2027-07-05T10:00:00','2027-07-11T20:00:00','2027-06-14T23:59:00','2027-07-05T10:00:00+00:00','2027-07-11T20:00:00+00:00','2027-06-14T23:59:00+00:00',70,1,1);
INSERT INTO "phases" VALUES('mohammedia-1','mohammedia',1,'2027-03-23T10:00:00','2027-03-31T20:00:00','2027-03-02T23:59:00','2027-03-23T10:00:00+00:00','2027-03-31T20:00:00+00:00','2027-03-02T23:59:00+00:00',70,1,1);
CREATE TABLE roles (
    user_id         INTEGER PRIMARY KEY,      -- Telegram user id (may not have written yet)
    role            TEXT NOT NULL CHECK (role IN ('admin', 'organizer', 'reviewer')),
    granted_by      INTEGER,                  -- NULL for admins from ADMIN_IDS
    granted_at      TEXT NOT NULL,
    from_settings   INTEGER NOT NULL DEFAULT 0
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
INSERT INTO "status_changes" VALUES(1,1,'draft','submitted',NULL,NULL,'2026-11-23T09:00:27+00:00');
INSERT INTO "status_changes" VALUES(2,1,'submitted','accepted',1,NULL,'2026-11-23T09:00:30+00:00');
INSERT INTO "status_changes" VALUES(3,3,'draft','submitted',NULL,NULL,'2026-11-23T09:01:02+00:00');
INSERT INTO "status_changes" VALUES(4,3,'submitted','rejected',1,'other','2026-11-23T09:01:04+00:00');
INSERT INTO "status_changes" VALUES(5,4,'draft','submitted',NULL,NULL,'2026-11-23T09:01:28+00:00');
INSERT INTO "status_changes" VALUES(6,4,'submitted','withdrawn',-1,NULL,'2026-11-23T09:01:30+00:00');
INSERT INTO "status_changes" VALUES(7,5,'draft','submitted',NULL,NULL,'2026-11-23T09:01:55+00:00');
CREATE TABLE ticket_waits (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    ticket_id   INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
    since       TEXT NOT NULL                 -- UTC
);
CREATE TABLE tickets (
    -- AUTOINCREMENT: an erased ticket's number is never given again, so that an old message
    -- naming Q-6 (a reply to it, a dedupe key) never points at someone else's question.
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    first_name  TEXT NOT NULL DEFAULT '',     -- the member's Telegram first name, for the team
    locale      TEXT NOT NULL,                -- the language the answer must be written in
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'voice', 'photo')),
    text        TEXT,                         -- the question, or a photo's caption
    file_id     TEXT,                         -- a voice note's or photo's Telegram file id
    asked_at    TEXT NOT NULL,                -- UTC
    answer      TEXT,                         -- the organizer's words, sent verbatim
    answered_by INTEGER,                      -- the organizer's Telegram id
    answered_at TEXT                          -- UTC; NULL while the ticket is open
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
INSERT INTO "trainings" VALUES('ifrane-1-admin','ifrane-1','2027-05-04T08:00:00','2027-05-04T08:00:00+00:00',120,30,1);
INSERT INTO "trainings" VALUES('ifrane-1-finance','ifrane-1','2027-05-05T08:00:00','2027-05-05T08:00:00+00:00',120,25,1);
INSERT INTO "trainings" VALUES('ifrane-1-marketing','ifrane-1','2027-05-06T08:00:00','2027-05-06T08:00:00+00:00',120,35,1);
INSERT INTO "trainings" VALUES('ifrane-2-admin','ifrane-2','2027-06-08T08:00:00','2027-06-08T08:00:00+00:00',120,30,1);
INSERT INTO "trainings" VALUES('ifrane-2-finance','ifrane-2','2027-06-09T08:00:00','2027-06-09T08:00:00+00:00',120,25,1);
INSERT INTO "trainings" VALUES('ifrane-2-marketing','ifrane-2','2027-06-10T08:00:00','2027-06-10T08:00:00+00:00',120,35,1);
INSERT INTO "trainings" VALUES('ifrane-3-admin','ifrane-3','2027-07-06T08:00:00','2027-07-06T08:00:00+00:00',120,30,1);
INSERT INTO "trainings" VALUES('ifrane-3-finance','ifrane-3','2027-07-07T08:00:00','2027-07-07T08:00:00+00:00',120,25,1);
INSERT INTO "trainings" VALUES('ifrane-3-marketing','ifrane-3','2027-07-08T08:00:00','2027-07-08T08:00:00+00:00',120,35,1);
INSERT INTO "trainings" VALUES('mohammedia-1-digital','mohammedia-1','2027-03-25T08:00:00','2027-03-25T08:00:00+00:00',120,25,1);
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,          -- Telegram user id
    locale      TEXT,                         -- chosen language; NULL until the user picks one
    first_name  TEXT NOT NULL DEFAULT '',
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    blocked     INTEGER NOT NULL DEFAULT 0    -- the user blocked the bot (Forbidden)
, reminders_off INTEGER NOT NULL DEFAULT 0, last_update_id INTEGER NOT NULL DEFAULT 0, form_hidden INTEGER NOT NULL DEFAULT 0, hear_questions INTEGER NOT NULL DEFAULT 0, erased_at TEXT);
INSERT INTO "users" VALUES(-1,NULL,'','2026-11-23T09:01:33+00:00','2026-11-23T09:01:33+00:00',1,0,0,0,0,NULL);
INSERT INTO "users" VALUES(101,NULL,'','2026-11-23T09:00:01+00:00','2026-11-23T09:00:01+00:00',0,0,0,0,0,NULL);
INSERT INTO "users" VALUES(102,NULL,'','2026-11-23T09:00:02+00:00','2026-11-23T09:00:02+00:00',0,0,0,0,0,NULL);
INSERT INTO "users" VALUES(103,NULL,'','2026-11-23T09:00:03+00:00','2026-11-23T09:00:03+00:00',0,0,0,0,0,'2026-11-23T09:01:33+00:00');
INSERT INTO "users" VALUES(104,NULL,'','2026-11-23T09:00:04+00:00','2026-11-23T09:00:04+00:00',0,0,0,0,0,NULL);
INSERT INTO "users" VALUES(105,NULL,'','2026-11-23T09:00:05+00:00','2026-11-23T09:00:05+00:00',0,0,0,0,0,NULL);
CREATE TABLE voice_prompts (
    locale TEXT NOT NULL,
    prompt TEXT NOT NULL,
    file_id TEXT NOT NULL,
    duration INTEGER NOT NULL DEFAULT 0,
    recorded_by INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (locale, prompt)
);
CREATE TABLE voice_recordings (
    user_id INTEGER PRIMARY KEY,
    locale TEXT NOT NULL,
    prompt TEXT NOT NULL,
    chosen_at TEXT NOT NULL
);
CREATE UNIQUE INDEX applications_one_draft ON applications(user_id) WHERE status = 'draft';
CREATE INDEX applications_phase_status ON applications(phase_code, status);
CREATE INDEX applications_user ON applications(user_id);
CREATE INDEX applications_phone ON applications(phone) WHERE phone IS NOT NULL;
CREATE INDEX applications_identifier ON applications(identifier) WHERE identifier IS NOT NULL;
CREATE INDEX applications_deadline ON applications(decision_deadline)
    WHERE decision_deadline IS NOT NULL;
CREATE INDEX deliveries_due ON deliveries(status, not_before);
CREATE UNIQUE INDEX broadcasts_one_draft ON broadcasts(author_id) WHERE status = 'draft';
CREATE INDEX deliveries_broadcast ON deliveries(broadcast_id, status) WHERE broadcast_id IS NOT NULL;
CREATE INDEX answer_changes_application ON answer_changes(application_id);
CREATE INDEX deliveries_pending_recipient ON deliveries(recipient_id, id) WHERE status = 'pending';
CREATE INDEX deliveries_to_report ON deliveries(id) WHERE report = 1;
CREATE INDEX organizer_events_digest ON organizer_events(digest_at);
CREATE INDEX invites_expiry ON invites(expires_at);
CREATE INDEX tickets_open ON tickets(asked_at) WHERE answered_at IS NULL;
CREATE INDEX tickets_user ON tickets(user_id);
DELETE FROM "sqlite_sequence";
COMMIT;
PRAGMA user_version = 17;
