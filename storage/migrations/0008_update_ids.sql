-- The last update handled for each user. Telegram delivers updates at least once: after a
-- crash, those the bot fetched but had not yet confirmed come again, and handling one twice
-- would, for instance, save a typed answer a second time as the answer to the next question.
ALTER TABLE users ADD COLUMN last_update_id INTEGER NOT NULL DEFAULT 0;
