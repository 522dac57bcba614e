-- What was done to accounts and cohorts (passwords reset, accounts and
-- cohorts deleted, pupils' data purged), for the administrator. Names are
-- copied: the row outlives the accounts it names.

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
