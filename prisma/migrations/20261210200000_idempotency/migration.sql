-- Issue 13: Idempotency-Key for POST /api/v1/messages/send (the pattern Stripe documents). One row
-- per (account, key): the first request claims it (state 'running', a lease so that a process that
-- died mid-request does not hold the key forever), then records its answer (status and JSON body);
-- a repeat within 24 h gets that answer and sends nothing. Keys are scoped per account (two
-- accounts may use the same key). Rows older than 24 h are pruned (created_at index) and ignored.
CREATE TABLE "idempotency_keys" (
  "account_id" BIGINT NOT NULL,
  "key" TEXT NOT NULL,
  -- SHA-256 of what was asked (route + body): the same key with another request is refused.
  "fingerprint" TEXT NOT NULL,
  "state" TEXT NOT NULL DEFAULT 'running',
  "status_code" INTEGER,
  "response" JSONB,
  "locked_until" TIMESTAMPTZ(3) NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("account_id", "key"),
  CONSTRAINT "idempotency_keys_state_check" CHECK ("state" IN ('running', 'done')),
  CONSTRAINT "idempotency_keys_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE
);
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");
