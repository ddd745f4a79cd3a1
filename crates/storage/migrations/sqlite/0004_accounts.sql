-- Accounts of the platform's users. Passwords are stored as argon2id hashes only; accounts are
-- disabled, never deleted, so that the audit trail's names always lead to one.
CREATE TABLE accounts (
    name TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL
);
