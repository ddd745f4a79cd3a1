-- The latest state of each part of a letter (a target, a district's share of one, a
-- milestone) as the latest report that counts says it, and each unit's latest report with
-- whether it was returned: kept up to date as reports are submitted and returned, so the
-- supervision lights are read one row per item and never computed by scanning the reports.
CREATE TABLE progress_states (
    project TEXT NOT NULL,
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    district TEXT NOT NULL,
    achieved DOUBLE PRECISION,
    milestone_status TEXT,
    report_month TEXT NOT NULL,
    report_id BIGINT NOT NULL,
    PRIMARY KEY (project, year, kind, item, district)
);

CREATE TABLE report_unit_states (
    project TEXT NOT NULL,
    year BIGINT NOT NULL,
    unit TEXT NOT NULL,
    report_month TEXT NOT NULL,
    report_id BIGINT NOT NULL,
    returned BIGINT NOT NULL,
    PRIMARY KEY (project, year, unit)
);

CREATE INDEX letter_milestones_by_unit ON letter_milestones (unit);
CREATE INDEX project_departments_by_project ON project_departments (project, part);

-- The states of the reports already made.
INSERT INTO progress_states (project, year, kind, item, district, achieved, milestone_status, report_month, report_id)
SELECT project, year, kind, item, district, achieved, milestone_status, month, id FROM (
    SELECT r.project, r.year, 'target' AS kind, part.value ->> 'target' AS item,
           COALESCE(part.value ->> 'district', '') AS district,
           (part.value ->> 'achieved')::DOUBLE PRECISION AS achieved, NULL AS milestone_status, r.month, r.id,
           ROW_NUMBER() OVER (
               PARTITION BY r.project, r.year, part.value ->> 'target', COALESCE(part.value ->> 'district', '')
               ORDER BY r.month DESC, r.id DESC) AS latest
    FROM progress_reports r, jsonb_array_elements(COALESCE(r.content::jsonb -> 'targets', '[]'::jsonb)) part
    WHERE r.status <> 'returned' AND r.month <= r.year || '-12'
    UNION ALL
    SELECT r.project, r.year, 'milestone', part.value ->> 'milestone', '',
           NULL, part.value ->> 'status', r.month, r.id,
           ROW_NUMBER() OVER (
               PARTITION BY r.project, r.year, part.value ->> 'milestone'
               ORDER BY r.month DESC, r.id DESC)
    FROM progress_reports r, jsonb_array_elements(COALESCE(r.content::jsonb -> 'milestones', '[]'::jsonb)) part
    WHERE r.status <> 'returned' AND r.month <= r.year || '-12'
) parts WHERE latest = 1;

INSERT INTO report_unit_states (project, year, unit, report_month, report_id, returned)
SELECT project, year, unit, month, id, returned FROM (
    SELECT project, year, unit, month, id, CASE WHEN status = 'returned' THEN 1 ELSE 0 END AS returned,
           ROW_NUMBER() OVER (PARTITION BY project, year, unit ORDER BY month DESC, id DESC) AS latest
    FROM progress_reports
) units WHERE latest = 1;
