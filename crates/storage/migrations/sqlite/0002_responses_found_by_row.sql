-- Respondent keys are random, so the unique index on (wave_id, respondent_key) put every
-- stored response on a random index page: most of what intake wrote to disk was those pages.
-- The server now keeps the keys of the waves it writes in memory and finds a respondent's row
-- by its number (see src/sqlite/directory.rs); rows of one wave are read through the index on
-- wave_id, which grows only at its end.
CREATE TABLE responses_by_row (
    id INTEGER PRIMARY KEY,
    wave_id INTEGER NOT NULL REFERENCES waves (id),
    respondent_key BLOB NOT NULL,
    idempotency_key TEXT,
    channel TEXT,
    district TEXT NOT NULL,
    gender TEXT,
    age INTEGER,
    education TEXT,
    occupation TEXT,
    ratings TEXT NOT NULL,
    submitted_at_ms INTEGER NOT NULL
);

INSERT INTO responses_by_row
SELECT id, wave_id, respondent_key, idempotency_key, channel, district, gender, age, education,
       occupation, ratings, submitted_at_ms
FROM responses ORDER BY id;

DROP TABLE responses;

ALTER TABLE responses_by_row RENAME TO responses;

CREATE INDEX responses_of_wave ON responses (wave_id);
