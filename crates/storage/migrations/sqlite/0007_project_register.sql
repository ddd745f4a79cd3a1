-- The project register: the canonical list of projects, in the city's order, with the
-- responsible city leader and the body that steers each; the departments' parts stay in
-- project_departments, now with their duties and order; the districts each project is
-- delivered in (codes of the city's districts).
CREATE TABLE projects (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    summary_zh TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    description_en TEXT NOT NULL,
    leader_zh TEXT NOT NULL,
    leader_en TEXT NOT NULL,
    steering TEXT NOT NULL,
    steering_zh TEXT NOT NULL,
    steering_en TEXT NOT NULL,
    start_year INTEGER NOT NULL
);

ALTER TABLE project_departments ADD COLUMN duty_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE project_departments ADD COLUMN duty_en TEXT NOT NULL DEFAULT '';
ALTER TABLE project_departments ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

CREATE TABLE project_districts (
    project TEXT NOT NULL REFERENCES projects (code),
    district TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (project, district)
);
