-- Issue 13 items 4 and 5: the account event outbox, webhooks and their deliveries.
--
-- account_events is an outbox: each row is written by the statement (or in the transaction) that made
-- the change it reports, so a committed change always has its event and a rolled-back one never does.
-- No foreign key to accounts: an FK check would add a lookup to the MX's one delivery statement, and
-- events of a removed account are harmless until pruned (CORREIO_EVENTS_KEEP).
--
-- xid: the writing transaction's id. Ids come from a sequence and commit out of order, so "id > cursor"
-- could skip an event whose transaction committed after a later id's. Readers instead take events in
-- (xid, id) order and only below the oldest transaction still running (pg_snapshot_xmin): every
-- transaction below it has finished, so nothing can appear behind a reader's cursor later.
CREATE TABLE account_events (
  id          BIGSERIAL PRIMARY KEY,
  account_id  BIGINT NOT NULL,
  type        TEXT NOT NULL,
  payload     JSONB NOT NULL,
  -- pg_current_xact_id() (xid8: epoch and xid, never wraps) as a bigint, which Prisma can map.
  xid         BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
  created_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
-- The one secondary index (each costs the MX's delivery statement an index insert). Pruning walks the
-- primary key from the oldest id instead of an index on created_at.
CREATE INDEX account_events_account_order_idx ON account_events (account_id, xid, id);

CREATE TABLE webhooks (
  id          BIGSERIAL PRIMARY KEY,
  account_id  BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  url         TEXT NOT NULL,
  events      TEXT[] NOT NULL,
  -- Standard Webhooks signing secret ("whsec_" + base64); the HMAC needs it in clear.
  secret      TEXT NOT NULL,
  enabled     BOOLEAN NOT NULL DEFAULT true,
  -- Fan-out position in account_events, (xid, id) order: events after it are not yet turned into deliveries.
  cursor_xid  BIGINT NOT NULL DEFAULT 0,
  cursor_id   BIGINT NOT NULL DEFAULT 0,
  created_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_account_idx ON webhooks (account_id, id);

CREATE TYPE webhook_delivery_state AS ENUM ('pending', 'succeeded', 'failed');

CREATE TABLE webhook_deliveries (
  id               BIGSERIAL PRIMARY KEY,
  webhook_id       BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  account_id       BIGINT NOT NULL,
  event_id         BIGINT NOT NULL,
  state            webhook_delivery_state NOT NULL DEFAULT 'pending',
  attempt_count    INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  -- Retried until then (CORREIO_WEBHOOKS_RETRY_FOR after the fan-out, or after a manual redeliver), then failed.
  retry_until      TIMESTAMPTZ(3) NOT NULL,
  lease_owner      TEXT,
  lease_until      TIMESTAMPTZ(3),
  last_status_code INTEGER,
  -- Every attempt: { at, durationMs, statusCode | null, error | null } (the receiver's body is never kept).
  attempts         JSONB NOT NULL DEFAULT '[]',
  created_at       TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (account_id, webhook_id, id);
