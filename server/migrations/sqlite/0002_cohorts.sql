-- Cohorts (SQLite): a group of learners (a training's promotion, a school class)
-- attached to tracks and run by trainers; and pupils' accounts, which have
-- no email: a pupil logs in with the cohort's join code, a first name or
-- pseudonym, and a password.

CREATE TABLE cohorts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    -- ISO dates (YYYY-MM-DD), optional.
    starts_on TEXT,
    ends_on TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE cohort_tracks (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    track_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (cohort_id, track_id)
);

CREATE TABLE cohort_trainers (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (cohort_id, user_id)
);
CREATE INDEX cohort_trainers_user ON cohort_trainers (user_id);

CREATE TABLE cohort_members (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (cohort_id, user_id)
);
CREATE INDEX cohort_members_user ON cohort_members (user_id);

-- An adult's login is their email; a pupil's is `<cohort id>:<name>`
-- (never an email: it has no `@`), unique like any other.
ALTER TABLE users RENAME COLUMN email TO login;
-- The cohort a pupil's account belongs to (and is deleted with).
ALTER TABLE users ADD COLUMN pupil_cohort_id INTEGER REFERENCES cohorts (id) ON DELETE CASCADE;

-- Dashboards read a cohort's submissions exercise by exercise.
CREATE INDEX submissions_exercise ON submissions (exercise_id, user_id);
