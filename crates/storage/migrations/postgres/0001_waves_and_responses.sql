-- Survey waves with the configuration they run with, and one current response per respondent.
CREATE TABLE waves (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    period_start TEXT,
    period_end TEXT,
    quotas TEXT NOT NULL,
    instrument TEXT NOT NULL,
    catalogue TEXT NOT NULL,
    districts TEXT NOT NULL,
    profile TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE responses (
    wave_id BIGINT NOT NULL REFERENCES waves (id),
    respondent_key BYTEA NOT NULL,
    idempotency_key TEXT,
    channel TEXT,
    district TEXT NOT NULL,
    gender TEXT,
    age BIGINT,
    education TEXT,
    occupation TEXT,
    ratings TEXT NOT NULL,
    submitted_at_ms BIGINT NOT NULL,
    PRIMARY KEY (wave_id, respondent_key)
);
