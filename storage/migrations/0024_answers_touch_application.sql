-- Saving an answer marks its application as changed (updated_at = the answer's time) in the
-- same statement: the questionnaire then saves most answers with one statement, committed on
-- its own, instead of a transaction of four round trips to aiosqlite's thread (bench/RESULTS.md).
-- Every writer of answers set updated_at to the answer's time already, in its transaction.
CREATE TRIGGER answers_touch_application_insert AFTER INSERT ON answers
BEGIN
    UPDATE applications SET updated_at = NEW.answered_at WHERE id = NEW.application_id;
END;

CREATE TRIGGER answers_touch_application_update AFTER UPDATE ON answers
BEGIN
    UPDATE applications SET updated_at = NEW.answered_at WHERE id = NEW.application_id;
END;
