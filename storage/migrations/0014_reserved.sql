-- Placeholder: keeps migrations numbered without gaps on this branch. Number 0014 belongs to
-- another helper's migration; drop this file when merging theirs.
SELECT 1;
