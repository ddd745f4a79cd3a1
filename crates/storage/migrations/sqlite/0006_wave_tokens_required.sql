-- A wave may take responses only with a citizen token signed by a portal (no anonymous ones).
ALTER TABLE waves ADD COLUMN tokens_required INTEGER NOT NULL DEFAULT 0;
-- How the wave's quadrants are cut: median, pooled-median, mean, or fixed targets "R,S".
ALTER TABLE waves ADD COLUMN cut_points TEXT NOT NULL DEFAULT 'median';
