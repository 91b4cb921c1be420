-- Placeholder so that this branch's migrations run without a gap (storage/db.py requires
-- 1..n): the number is another helper's. DELETE THIS FILE WHEN MERGING that helper's 0014.
SELECT 1;
