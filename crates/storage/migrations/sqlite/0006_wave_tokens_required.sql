-- A wave may take responses only with a citizen token signed by a portal (no anonymous ones).
ALTER TABLE waves ADD COLUMN tokens_required INTEGER NOT NULL DEFAULT 0;
