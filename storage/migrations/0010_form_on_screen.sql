-- Whether the last screen the bot sent a user was something other than their application
-- form (a menu, /info, the language picker...). A question scrolled out of sight must not be
-- answered by the next typed text: that text shows the question again instead.
ALTER TABLE users ADD COLUMN form_hidden INTEGER NOT NULL DEFAULT 0;
