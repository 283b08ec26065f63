-- One row per retention job: which process runs it, for which scheduled slot,
-- until when (HS §6.2). Times are microseconds since the epoch.
CREATE TABLE retention_leases (
    name TEXT NOT NULL PRIMARY KEY,
    holder TEXT NOT NULL,
    slot BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
