-- Supervision notices: sent by the office on a red item of a letter, answered by the
-- department with its reasons and recovery date, closed by the office; each step timed.
CREATE TABLE notices (
    id BIGSERIAL PRIMARY KEY,
    project TEXT NOT NULL REFERENCES projects (code),
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    owner TEXT NOT NULL,
    instructions TEXT NOT NULL,
    status TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at_ms BIGINT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    recovery_date TEXT,
    answered_by TEXT,
    answered_at_ms BIGINT,
    closed_by TEXT,
    closed_at_ms BIGINT,
    close_note TEXT NOT NULL DEFAULT ''
);

CREATE INDEX notices_by_item ON notices (project, year, kind, item, owner);
