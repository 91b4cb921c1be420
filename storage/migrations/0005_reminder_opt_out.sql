-- An applicant may turn off the reminders that ask nothing of them (law 09-08: opposition).
ALTER TABLE users ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0;
