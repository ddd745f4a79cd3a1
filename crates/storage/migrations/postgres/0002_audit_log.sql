-- The audit trail: one row per change, hash-chained (see minxin_domain::audit), and the head
-- (count and last hash) kept beside it. Rows can only be appended: updates and deletions are
-- refused by a trigger, so that only someone editing the database outside the platform can
-- alter the log, and `minxin audit verify` then names the first bad entry.
CREATE TABLE audit_log (
    sequence BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT,
    previous_hash BYTEA NOT NULL,
    hash BYTEA NOT NULL
);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    count BIGINT NOT NULL,
    hash BYTEA NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
