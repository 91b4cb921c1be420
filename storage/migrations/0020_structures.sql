-- Structures (issue 16): a cooperative, association or enterprise is a thing of its own, filed
-- for by a Telegram account (its member, or a facilitator filing for several). Its profile is
-- reused from one market to the next; duplicates are decided on it, not on the account.
-- Each profile column holds the answer as JSON, exactly as `answers.value` does, so that a
-- profile and an application's answers copy into each other without any conversion.
CREATE TABLE structures (
    id                      INTEGER PRIMARY KEY,
    filer_id                INTEGER NOT NULL REFERENCES users(id),
    legal_form              TEXT,
    name                    TEXT,
    coop_register           TEXT,
    ice                     TEXT,
    rnae                    TEXT,
    microcredit_association TEXT,
    province                TEXT,
    town                    TEXT,
    sector                  TEXT,
    products                TEXT,
    members                 TEXT,
    women_members           TEXT,
    led_by                  TEXT,
    contact_name            TEXT,
    phone                   TEXT,
    programmes              TEXT,
    -- 0 when a facilitator files for it: the contact person is someone else.
    contact_is_filer        INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    erased_at               TEXT
);
CREATE INDEX structures_filer ON structures(filer_id);

ALTER TABLE applications ADD COLUMN structure_id INTEGER REFERENCES structures(id);
CREATE INDEX applications_structure ON applications(structure_id);
-- 1 when the filer is a facilitator, not the structure's contact person: the form asks for the
-- contact person's phone, not the filer's own.
ALTER TABLE applications ADD COLUMN facilitated INTEGER NOT NULL DEFAULT 0;

-- A consent given through a facilitator: the facilitator confirmed that the contact person
-- (whose data it is, law 09-08) agreed.
ALTER TABLE consents ADD COLUMN through_facilitator INTEGER NOT NULL DEFAULT 0;

-- Today's data: each application becomes a structure of its own, with its answers (its id is
-- the application's: one to one), filed by the application's account. An erased application
-- has no answers left: its structure is erased too, with the same date.
INSERT INTO structures (id, filer_id, legal_form, name, coop_register, ice, rnae,
    microcredit_association, province, town, sector, products, members, women_members, led_by,
    contact_name, phone, programmes, created_at, updated_at, erased_at)
SELECT a.id, a.user_id,
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'legal_form' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'structure_name' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'coop_register' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'ice' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'rnae' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'microcredit_association' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'province' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'town' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'sector' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'products' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'members' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'women_members' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'led_by' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'contact_name' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'phone' AND complete = 1),
    (SELECT value FROM answers WHERE application_id = a.id AND question = 'programmes' AND complete = 1),
    a.created_at, a.updated_at, a.erased_at
FROM applications AS a;

UPDATE applications SET structure_id = id;
