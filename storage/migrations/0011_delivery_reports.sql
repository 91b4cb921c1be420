-- A delivery that ends without reaching its recipient for sure (given up after temporary
-- failures until it no longer made sense, refused by Telegram, or sent without an answer so
-- that it may or may not have arrived) is reported to the team once: `report` is 1 until then.
ALTER TABLE deliveries ADD COLUMN report INTEGER NOT NULL DEFAULT 0;
CREATE INDEX deliveries_to_report ON deliveries(id) WHERE report = 1;
