-- Outbound queue, issue 4 completed: delivery status notifications recorded exactly once, and the
-- history of every delivery attempt (admin API).

-- Set in the same transaction that stores or queues the DSN for the recipient's failure (or delay
-- warning), so a crash can never produce a second one (RFC 3461 §6.2: one notification per event).
ALTER TABLE "outbound_recipients" ADD COLUMN "failure_notified_at" TIMESTAMPTZ(3);
ALTER TABLE "outbound_recipients" ADD COLUMN "delay_notified_at" TIMESTAMPTZ(3);

-- One row per attempt at one recipient, written by the worker with the attempt's outcome.
CREATE TABLE "outbound_attempts" (
    "id" BIGSERIAL PRIMARY KEY,
    "account_id" BIGINT NOT NULL,
    "message_id" BIGINT NOT NULL,
    "recipient_id" BIGINT NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "result" "queue_state" NOT NULL,
    "reply" TEXT NOT NULL,
    "remote_host" TEXT,
    CONSTRAINT "outbound_attempts_message_fkey" FOREIGN KEY ("account_id", "message_id")
        REFERENCES "outbound_messages"("account_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "outbound_attempts_account_id_recipient_id_idx" ON "outbound_attempts"("account_id", "recipient_id");
CREATE INDEX "outbound_attempts_account_id_message_id_idx" ON "outbound_attempts"("account_id", "message_id");

-- The admin list filters by sender and pages by id, newest first.
CREATE INDEX "outbound_messages_envelope_from_idx" ON "outbound_messages"("envelope_from");
CREATE INDEX "outbound_recipients_domain_idx" ON "outbound_recipients"("domain");
