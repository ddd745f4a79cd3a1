-- The items under supervision: every target part (a target delivered whole, or a district's
-- share of one) and every milestone of each issued or signed letter, one row each, with its
-- latest state as the latest report that counts says it (achieved, status), whether its
-- owner's latest report was returned, and whether it is still open. Rows are written when a
-- letter is issued (removed if it goes back to draft), marked signed when it is accepted, and
-- kept up to date inside the transaction that submits or returns a report, so the board reads
-- one row per open item and never scans the reports. Its first day and due date are also kept
-- as day numbers (days since 1970-01-01), for lighting items by the day.
CREATE TABLE supervision_items (
    project TEXT NOT NULL,
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    district TEXT NOT NULL,
    owner TEXT NOT NULL,
    position BIGINT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    measure_zh TEXT NOT NULL,
    milestone_type TEXT NOT NULL,
    person TEXT NOT NULL,
    due TEXT NOT NULL,
    start_day BIGINT NOT NULL DEFAULT 0,
    due_day BIGINT NOT NULL DEFAULT 0,
    planned DOUBLE PRECISION,
    achieved DOUBLE PRECISION,
    milestone_status TEXT,
    report_month TEXT,
    report_id BIGINT,
    returned BIGINT NOT NULL DEFAULT 0,
    signed BIGINT NOT NULL,
    open BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (project, year, kind, item, district)
);

-- What the board reads to light, count and sort the open items of signed letters, in one
-- index of those items alone, which it reads without the table.
CREATE INDEX supervision_items_open ON supervision_items (project, owner, due_day, start_day,
    returned, kind, planned, achieved, milestone_status, due, year, position, item, district)
    WHERE open = 1 AND signed = 1;
CREATE INDEX supervision_items_by_owner ON supervision_items (owner, open);
CREATE INDEX project_departments_by_project ON project_departments (project, part);

-- The items of the letters already issued or signed.
INSERT INTO supervision_items (project, year, kind, item, district, owner, position, title_zh, title_en,
    measure_zh, milestone_type, person, due, planned, signed)
SELECT l.project, l.year, 'target', t.id, '', t.unit, t.position * 1000, t.title_zh, t.title_en,
    t.measure_zh, '', '', t.due, t.quantity, CASE WHEN l.status = 'accepted' THEN 1 ELSE 0 END
FROM letters l JOIN letter_targets t ON t.letter = l.id
WHERE l.status IN ('issued', 'accepted')
    AND NOT EXISTS (SELECT 1 FROM letter_target_shares x WHERE x.letter = l.id AND x.target = t.id);
INSERT INTO supervision_items (project, year, kind, item, district, owner, position, title_zh, title_en,
    measure_zh, milestone_type, person, due, planned, signed)
SELECT l.project, l.year, 'target', t.id, x.district, x.district, t.position * 1000 + x.position,
    t.title_zh, t.title_en, t.measure_zh, '', '', t.due, x.quantity,
    CASE WHEN l.status = 'accepted' THEN 1 ELSE 0 END
FROM letters l JOIN letter_targets t ON t.letter = l.id
JOIN letter_target_shares x ON x.letter = l.id AND x.target = t.id
WHERE l.status IN ('issued', 'accepted');
INSERT INTO supervision_items (project, year, kind, item, district, owner, position, title_zh, title_en,
    measure_zh, milestone_type, person, due, planned, signed)
SELECT l.project, l.year, 'milestone', m.id, '', m.unit, m.position * 1000, m.title_zh, m.title_en,
    '', m.kind, m.person, m.due, NULL, CASE WHEN l.status = 'accepted' THEN 1 ELSE 0 END
FROM letters l JOIN letter_milestones m ON m.letter = l.id
WHERE l.status IN ('issued', 'accepted');

UPDATE supervision_items SET start_day = (make_date(CAST(year AS INTEGER), 1, 1) - DATE '1970-01-01'), due_day = (CAST(due AS DATE) - DATE '1970-01-01');

-- Their states from the reports already made: the latest report that counts on each part.
UPDATE supervision_items SET achieved = latest.achieved, milestone_status = latest.milestone_status,
    report_month = latest.month, report_id = latest.id
FROM (
    SELECT r.project, r.year, 'target' AS kind, part.value ->> 'target' AS item,
           COALESCE(part.value ->> 'district', '') AS district,
           (part.value ->> 'achieved')::DOUBLE PRECISION AS achieved, NULL AS milestone_status, r.month, r.id,
           ROW_NUMBER() OVER (
               PARTITION BY r.project, r.year, part.value ->> 'target', COALESCE(part.value ->> 'district', '')
               ORDER BY r.month DESC, r.id DESC) AS rank
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
) AS latest
WHERE latest.rank = 1 AND supervision_items.project = latest.project AND supervision_items.year = latest.year
    AND supervision_items.kind = latest.kind AND supervision_items.item = latest.item
    AND supervision_items.district = latest.district;

-- Whether each owner's latest report was returned, and which items are still open.
UPDATE supervision_items SET returned = 1
WHERE EXISTS (
    SELECT 1 FROM progress_reports r
    WHERE r.project = supervision_items.project AND r.year = supervision_items.year
        AND r.unit = supervision_items.owner AND r.status = 'returned'
        AND NOT EXISTS (
            SELECT 1 FROM progress_reports later
            WHERE later.project = r.project AND later.year = r.year AND later.unit = r.unit
                AND (later.month > r.month OR (later.month = r.month AND later.id > r.id))));
UPDATE supervision_items SET open = CASE
    WHEN kind = 'target' AND achieved IS NOT NULL AND achieved >= planned THEN 0
    WHEN kind = 'milestone' AND milestone_status = 'met' AND returned = 0 THEN 0
    ELSE 1 END;
