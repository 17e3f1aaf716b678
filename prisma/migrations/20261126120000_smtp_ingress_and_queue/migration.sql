-- SMTP ingress complete: mail authentication verdicts and DSN parameters kept with each message,
-- and the outbound queue that submission fills (the delivery worker of issue 4 drains it).

ALTER TABLE "messages" ADD COLUMN "auth_results" JSONB;
ALTER TABLE "messages" ADD COLUMN "dsn" JSONB;

CREATE TYPE "queue_state" AS ENUM ('queued', 'deferred', 'delivered', 'bounced', 'held');

-- One row per queued message. The raw bytes are the sender account's own blob row, held until the
-- last recipient is done (independent of the Sent copy, which the user may delete meanwhile).
CREATE TABLE "outbound_messages" (
    "id" BIGSERIAL PRIMARY KEY,
    "account_id" BIGINT NOT NULL,
    "blob_id" BIGINT NOT NULL,
    "size" INTEGER NOT NULL,
    "envelope_from" TEXT NOT NULL,
    "dsn_ret" TEXT,
    "dsn_envid" TEXT,
    "not_before" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "outbound_messages_account_id_id_key" ON "outbound_messages"("account_id", "id");

CREATE TABLE "outbound_recipients" (
    "id" BIGSERIAL PRIMARY KEY,
    "account_id" BIGINT NOT NULL,
    "message_id" BIGINT NOT NULL,
    "address" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "state" "queue_state" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_reply" TEXT,
    "dsn_notify" TEXT,
    "dsn_orcpt" TEXT,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "outbound_recipients_message_fkey" FOREIGN KEY ("account_id", "message_id")
        REFERENCES "outbound_messages"("account_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "outbound_recipients_account_id_message_id_idx" ON "outbound_recipients"("account_id", "message_id");
-- Workers claim due work by this index (state, next attempt) with FOR UPDATE SKIP LOCKED.
CREATE INDEX "outbound_recipients_due_idx" ON "outbound_recipients"("next_attempt_at") WHERE "state" IN ('queued', 'deferred');
