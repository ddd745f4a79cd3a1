-- Progress reports: one that counts per letter, month and unit (a returned one is submitted
-- again), its content as JSON (targets' cumulative figures, milestones' statuses, the
-- project's percentages, a note, links), and its steps; evidence files stored once by their
-- SHA-256 and attached to reports.
CREATE TABLE progress_reports (
    id BIGSERIAL PRIMARY KEY,
    project TEXT NOT NULL REFERENCES projects (code),
    year BIGINT NOT NULL,
    month TEXT NOT NULL,
    unit TEXT NOT NULL,
    status TEXT NOT NULL,
    content TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at_ms BIGINT NOT NULL,
    reviewed_by TEXT,
    reviewed_at_ms BIGINT,
    decided_by TEXT,
    decided_at_ms BIGINT,
    return_reason TEXT NOT NULL DEFAULT ''
);

CREATE INDEX progress_reports_by_letter ON progress_reports (project, year, month, unit);

CREATE TABLE evidence_files (
    sha256 BYTEA PRIMARY KEY,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content BYTEA NOT NULL
);

CREATE TABLE report_evidence (
    report BIGINT NOT NULL REFERENCES progress_reports (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    sha256 BYTEA NOT NULL REFERENCES evidence_files (sha256),
    PRIMARY KEY (report, position)
);
