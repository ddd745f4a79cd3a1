-- A project's plan (period, budget in yuan, scope), the baseline frozen from it when
-- implementation begins (JSON, with when), and the modifications of a frozen plan, each
-- proposed with its reason and decided by the office. A project's stage is the decision in
-- force about `project/CODE/stage`.
CREATE TABLE project_plans (
    project TEXT PRIMARY KEY REFERENCES projects (code),
    period_start TEXT,
    period_end TEXT,
    budget_yuan INTEGER,
    scope_zh TEXT NOT NULL,
    scope_en TEXT NOT NULL,
    baseline TEXT,
    baseline_at_ms INTEGER
);

CREATE TABLE project_modifications (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL REFERENCES projects (code),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    before_plan TEXT NOT NULL,
    after_plan TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_at_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_at_ms INTEGER,
    decision_note TEXT NOT NULL DEFAULT ''
);

CREATE INDEX project_modifications_by_project ON project_modifications (project, id);
