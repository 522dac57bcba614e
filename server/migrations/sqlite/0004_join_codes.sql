-- A cohort's join code can be closed (nobody joins with it any more; pupils
-- still log in with it) and can stop letting people join after a date
-- (`join_until`, the last day, YYYY-MM-DD). Pupils who created their own
-- account with the code are marked, so that they can be counted per hour.

ALTER TABLE cohorts ADD COLUMN join_open INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cohorts ADD COLUMN join_until TEXT;
ALTER TABLE users ADD COLUMN self_joined INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_pupil_cohort ON users (pupil_cohort_id, created_at);
