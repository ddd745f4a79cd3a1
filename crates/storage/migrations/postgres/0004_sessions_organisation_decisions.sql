-- Signing in: failed attempts and lockout on accounts; sessions known by the SHA-256 of their
-- token (the token itself is only ever in the user's cookie or API client).
ALTER TABLE accounts ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN locked_until_ms BIGINT NOT NULL DEFAULT 0;

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (name),
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    ended_at_ms BIGINT
);

-- The organisation: departments, districts and streets; departments' parts in projects; the
-- roles accounts hold, each within a scope ('' for the whole city, else a unit's code).
CREATE TABLE org_units (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    parent TEXT REFERENCES org_units (code)
);

CREATE TABLE project_departments (
    department TEXT NOT NULL REFERENCES org_units (code),
    project TEXT NOT NULL,
    part TEXT NOT NULL,
    PRIMARY KEY (department, project)
);

CREATE TABLE role_assignments (
    account TEXT NOT NULL REFERENCES accounts (name),
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    PRIMARY KEY (account, role, scope)
);

-- Major decisions: never edited, only superseded by a later decision naming the one it
-- replaces (at most once each).
CREATE TABLE decisions (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    decided_by TEXT NOT NULL REFERENCES accounts (name),
    decided_by_name TEXT NOT NULL,
    decided_at_ms BIGINT NOT NULL,
    statement TEXT NOT NULL,
    supersedes BIGINT UNIQUE REFERENCES decisions (id)
);

CREATE FUNCTION decisions_never_edited() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'decisions are never edited, only superseded';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER decisions_never_edited BEFORE UPDATE OR DELETE ON decisions
FOR EACH ROW EXECUTE FUNCTION decisions_never_edited();
