-- Issue 9, writing mail: uploads (files for attachments, kept 24 h), contacts (address suggestions,
-- folded from stored messages by the contacts indexer), signatures per sending address, the
-- undo-send window per account, and the link from a queue entry to the sender's Sent copy.

-- Files uploaded for attachments (POST /api/v1/uploads), referenced by id from drafts and sends.
CREATE TABLE "uploads" (
    "id" BIGSERIAL NOT NULL,
    "account_id" BIGINT NOT NULL,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "uploads_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "uploads_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "uploads_account_id_id_key" ON "uploads"("account_id", "id");
CREATE INDEX "uploads_created_at_idx" ON "uploads"("created_at");

-- People an account wrote to (To/Cc of its Sent mail) and received from (From of other mail).
CREATE TABLE "contacts" (
    "id" BIGSERIAL NOT NULL,
    "account_id" BIGINT NOT NULL,
    "address" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "sent_count" INTEGER NOT NULL DEFAULT 0,
    "received_count" INTEGER NOT NULL DEFAULT 0,
    "last_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "contacts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "contacts_account_id_address_key" ON "contacts"("account_id", "address");
-- Prefix search: the address (LIKE 'q%' under any collation) and any word of the name (a
-- 'simple' text-search vector: lower-cased words, no stemming; 'q':* is a prefix query on it).
CREATE INDEX "contacts_address_prefix_idx" ON "contacts"("account_id", "address" text_pattern_ops);
CREATE INDEX "contacts_name_words_idx" ON "contacts" USING GIN (to_tsvector('simple', "name"));

-- How far the contacts indexer has read the messages table (one row).
CREATE TABLE "contacts_index_state" (
    "id" INTEGER NOT NULL,
    "last_message_id" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "contacts_index_state_pkey" PRIMARY KEY ("id")
);
INSERT INTO "contacts_index_state" ("id", "last_message_id") VALUES (1, 0);

-- A signature (sanitized HTML) per address an account sends as.
CREATE TABLE "signatures" (
    "id" BIGSERIAL NOT NULL,
    "account_id" BIGINT NOT NULL,
    "address" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "signatures_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "signatures_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "signatures_account_id_address_key" ON "signatures"("account_id", "address");

-- Undo send: how long a send from the webmail waits, cancellable (Gmail's 5-30 s).
ALTER TABLE "accounts" ADD COLUMN "undo_send_seconds" SMALLINT NOT NULL DEFAULT 10;
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_undo_send_seconds_check" CHECK ("undo_send_seconds" BETWEEN 0 AND 30);

-- The sender's Sent copy of a queued message (messages.id; the row keeps its id when it moves).
ALTER TABLE "outbound_messages" ADD COLUMN "sent_message_id" BIGINT;
CREATE INDEX "outbound_messages_account_id_sent_message_id_idx" ON "outbound_messages"("account_id", "sent_message_id");
