-- Responsibility letters: one per project and year, drafted, issued by the office, accepted by
-- the lead department; their milestones (the timetable, each in at most one phase of the
-- roadmap), quantified targets with their districts' shares (the task book), and the phases.
CREATE TABLE letters (
    id BIGSERIAL PRIMARY KEY,
    project TEXT NOT NULL REFERENCES projects (code),
    year BIGINT NOT NULL,
    status TEXT NOT NULL,
    issued_by TEXT,
    issued_at_ms BIGINT,
    accepted_by TEXT,
    accepted_by_name TEXT,
    accepted_at_ms BIGINT,
    UNIQUE (project, year)
);

CREATE TABLE letter_milestones (
    letter BIGINT NOT NULL REFERENCES letters (id),
    id TEXT NOT NULL,
    position BIGINT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    kind TEXT NOT NULL,
    due TEXT NOT NULL,
    unit TEXT NOT NULL,
    person TEXT NOT NULL,
    PRIMARY KEY (letter, id)
);

CREATE TABLE letter_targets (
    letter BIGINT NOT NULL REFERENCES letters (id),
    id TEXT NOT NULL,
    position BIGINT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    measure_zh TEXT NOT NULL,
    measure_en TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    due TEXT NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (letter, id)
);

CREATE TABLE letter_target_shares (
    letter BIGINT NOT NULL REFERENCES letters (id),
    target TEXT NOT NULL,
    district TEXT NOT NULL,
    position BIGINT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (letter, target, district)
);

CREATE INDEX letter_target_shares_by_district ON letter_target_shares (district);

CREATE TABLE letter_phases (
    letter BIGINT NOT NULL REFERENCES letters (id),
    position BIGINT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    milestones TEXT NOT NULL,
    PRIMARY KEY (letter, position)
);
