-- Survey waves with the configuration they run with, and one current response per respondent.
CREATE TABLE waves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    period_start TEXT,
    period_end TEXT,
    quotas TEXT NOT NULL,
    instrument TEXT NOT NULL,
    catalogue TEXT NOT NULL,
    districts TEXT NOT NULL,
    profile TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);

-- Rows are appended in rowid order; the unique index on the (random) respondent key stays small.
CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    wave_id INTEGER NOT NULL REFERENCES waves (id),
    respondent_key BLOB NOT NULL,
    idempotency_key TEXT,
    channel TEXT,
    district TEXT NOT NULL,
    gender TEXT,
    age INTEGER,
    education TEXT,
    occupation TEXT,
    ratings TEXT NOT NULL,
    submitted_at_ms INTEGER NOT NULL,
    UNIQUE (wave_id, respondent_key)
);
