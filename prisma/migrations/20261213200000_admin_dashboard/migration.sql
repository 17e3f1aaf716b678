-- Issue 14, the admin dashboard.

-- DKIM rotation: a new key pair is published next to the old one before it signs; the old pair is
-- retired (no longer signs, no longer listed to publish) when the admin says the new one is live.
-- active = signs now; active = false AND retired_at IS NULL = published, waiting to take over.
ALTER TABLE "dkim_keys" ADD COLUMN "retired_at" TIMESTAMPTZ(3);

-- The overview's traffic charts: per-hour counts rolled up from rows that already exist
-- (account_events 'message.received', outbound_attempts by result), read by primary-key range from
-- the last rolled-up id, so neither the MX's per-message statement nor the delivery worker writes
-- anything more, and the overview never scans those tables (or messages).
CREATE TABLE "admin_traffic_hourly" (
  "hour"     TIMESTAMPTZ(3) PRIMARY KEY,
  "received" INTEGER NOT NULL DEFAULT 0,
  "sent"     INTEGER NOT NULL DEFAULT 0,
  "deferred" INTEGER NOT NULL DEFAULT 0,
  "bounced"  INTEGER NOT NULL DEFAULT 0
);
-- How far each source has been rolled up ('account_events', 'outbound_attempts'): ids up to
-- last_id are counted; seen_id is the highest id seen by the previous run, counted by the next one
-- (a row is counted one run after its id was first seen, so a transaction that took its id before
-- and committed after that run is not skipped).
CREATE TABLE "admin_rollup_cursor" (
  "source"  TEXT PRIMARY KEY,
  "last_id" BIGINT NOT NULL,
  "seen_id" BIGINT NOT NULL
);
