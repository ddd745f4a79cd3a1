-- Joint meetings: the office's call (its attendees and agenda kept as JSON, as called), then
-- the minutes signed once; their decisions, never edited and superseded only by a later
-- meeting's decision that names them; and their action items, each with a row on the
-- supervision board (kind 'action') until its department reports it done.
CREATE TABLE meetings (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    venue TEXT NOT NULL,
    chair TEXT NOT NULL,
    attendees TEXT NOT NULL,
    agenda TEXT NOT NULL,
    status TEXT NOT NULL,
    convened_by TEXT NOT NULL,
    convened_at_ms BIGINT NOT NULL,
    minutes TEXT NOT NULL DEFAULT '',
    signed_by TEXT,
    signed_by_name TEXT,
    signed_at_ms BIGINT
);

CREATE TABLE meeting_decisions (
    meeting BIGINT NOT NULL REFERENCES meetings (id),
    number BIGINT NOT NULL,
    project TEXT REFERENCES projects (code),
    text TEXT NOT NULL,
    supersedes_meeting BIGINT,
    supersedes_number BIGINT,
    PRIMARY KEY (meeting, number),
    FOREIGN KEY (supersedes_meeting, supersedes_number) REFERENCES meeting_decisions (meeting, number)
);

-- A decision is superseded at most once.
CREATE UNIQUE INDEX meeting_decisions_superseding ON meeting_decisions (supersedes_meeting, supersedes_number)
    WHERE supersedes_meeting IS NOT NULL;

CREATE TABLE meeting_actions (
    meeting BIGINT NOT NULL REFERENCES meetings (id),
    number BIGINT NOT NULL,
    project TEXT NOT NULL REFERENCES projects (code),
    department TEXT NOT NULL,
    title TEXT NOT NULL,
    due TEXT NOT NULL,
    completed_by TEXT,
    completed_at_ms BIGINT,
    completion_note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting, number)
);
