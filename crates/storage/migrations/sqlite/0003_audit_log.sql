-- The audit trail: one row per change, hash-chained (see minxin_domain::audit), and the head
-- (count and last hash) kept beside it. Rows can only be appended: updates and deletions are
-- refused by triggers, so that only someone editing the file outside the platform can alter
-- the log, and `minxin audit verify` then names the first bad entry.
CREATE TABLE audit_log (
    sequence INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT,
    previous_hash BLOB NOT NULL,
    hash BLOB NOT NULL
);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    count INTEGER NOT NULL,
    hash BLOB NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
