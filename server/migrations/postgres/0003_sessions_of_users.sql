-- Each session names its account, so that a password reset or an account's
-- deletion ends the account's sessions. Sessions from before carry no
-- account: they are ended once, and their users sign in again.

DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN user_id BIGINT REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX sessions_user ON sessions (user_id);
