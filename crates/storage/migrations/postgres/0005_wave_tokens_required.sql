-- A wave may take responses only with a citizen token signed by a portal (no anonymous ones).
ALTER TABLE waves ADD COLUMN tokens_required BOOLEAN NOT NULL DEFAULT FALSE;
