-- A target's declared weight in its project's progress (declared for every target of a
-- letter, summing to 1, or for none).
ALTER TABLE letter_targets ADD COLUMN weight DOUBLE PRECISION;
