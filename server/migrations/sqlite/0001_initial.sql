-- Accounts, sessions, and every learner's work and progress (SQLite).
-- Times are Unix milliseconds; flags are 0/1 integers (same as PostgreSQL's file).

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'trainer', 'learner')),
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- One-time links to create the first administrator (stored hashed).
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);

-- Every submission, as it was graded: never deleted with progress changes.
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_id TEXT NOT NULL,
    code TEXT NOT NULL,
    passed INTEGER NOT NULL,
    score INTEGER NOT NULL,
    max_score INTEGER NOT NULL,
    report TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX submissions_user_exercise ON submissions (user_id, exercise_id, created_at);

-- A learner's state on one exercise, updated with each submission.
CREATE TABLE exercise_progress (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_id TEXT NOT NULL,
    passed INTEGER NOT NULL,
    best_score INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    first_passed_at INTEGER,
    last_submitted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, exercise_id)
);

-- A learner's state on one lesson.
CREATE TABLE lesson_progress (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    track_id TEXT NOT NULL,
    module_id TEXT NOT NULL,
    lesson_id TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    completed_at INTEGER,
    PRIMARY KEY (user_id, track_id, module_id, lesson_id)
);

-- The code in a learner's editor, saved as they type.
CREATE TABLE drafts (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_id TEXT NOT NULL,
    code TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, exercise_id)
);

-- How many of an exercise's hints a learner has revealed.
CREATE TABLE hint_reveals (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_id TEXT NOT NULL,
    revealed INTEGER NOT NULL,
    PRIMARY KEY (user_id, exercise_id)
);

-- Moments of activity, from which time spent is computed.
CREATE TABLE activity (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_id TEXT,
    track_id TEXT,
    module_id TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX activity_user ON activity (user_id, at);
