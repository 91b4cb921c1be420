-- Voice prompts: an organizer's recording of a question or a screen, in one language, kept as
-- Telegram's file id (the bot sends it again by id; nothing is downloaded). One per
-- (language, prompt): recording again replaces it.
CREATE TABLE voice_prompts (
    locale TEXT NOT NULL,
    prompt TEXT NOT NULL,
    file_id TEXT NOT NULL,
    duration INTEGER NOT NULL DEFAULT 0,
    recorded_by INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (locale, prompt)
);

-- The prompt an organizer chose with /voice and has not recorded yet: the next voice note they
-- send is that recording. In SQLite, so a restart between the choice and the recording loses
-- nothing.
CREATE TABLE voice_recordings (
    user_id INTEGER PRIMARY KEY,
    locale TEXT NOT NULL,
    prompt TEXT NOT NULL,
    chosen_at TEXT NOT NULL
);

-- A member who asked to hear every question as it comes (/settings).
ALTER TABLE users ADD COLUMN hear_questions INTEGER NOT NULL DEFAULT 0;
