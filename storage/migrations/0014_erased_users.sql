-- When a person had all their data erased at their request (law 09-08). The users row stays so
-- that the bot can still answer them in their language; this date keeps them out of the
-- announcements sent to "everyone who started the bot" until they apply again.
ALTER TABLE users ADD COLUMN erased_at TEXT;
