-- Correio data model v1. Mirrors prisma/schema.prisma; test/schema-drift.int.test.ts checks they agree.

CREATE TYPE "account_role" AS ENUM ('admin', 'user');
CREATE TYPE "special_use" AS ENUM ('inbox', 'sent', 'drafts', 'trash', 'junk', 'archive');

CREATE TABLE "domains" (
    "id" BIGSERIAL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "catch_all" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "domains_name_key" ON "domains"("name");

CREATE TABLE "accounts" (
    "id" BIGSERIAL PRIMARY KEY,
    "domain_id" BIGINT NOT NULL REFERENCES "domains"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    "address" TEXT NOT NULL,
    "display_name" TEXT NOT NULL DEFAULT '',
    "password_hash" TEXT NOT NULL,
    "role" "account_role" NOT NULL DEFAULT 'user',
    "quota_bytes" BIGINT NOT NULL DEFAULT 0,
    "used_bytes" BIGINT NOT NULL DEFAULT 0,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "accounts_address_key" ON "accounts"("address");
CREATE INDEX "accounts_domain_id_idx" ON "accounts"("domain_id");

CREATE TABLE "aliases" (
    "id" BIGSERIAL PRIMARY KEY,
    "domain_id" BIGINT NOT NULL REFERENCES "domains"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "address" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "aliases_address_destination_key" ON "aliases"("address", "destination");
CREATE INDEX "aliases_domain_id_idx" ON "aliases"("domain_id");

CREATE TABLE "sessions" (
    "id" BIGSERIAL PRIMARY KEY,
    "account_id" BIGINT NOT NULL REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "token_hash" TEXT NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ip" TEXT NOT NULL DEFAULT '',
    "user_agent" TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");
CREATE INDEX "sessions_account_id_idx" ON "sessions"("account_id");

CREATE TABLE "mailboxes" (
    "id" BIGSERIAL PRIMARY KEY,
    "account_id" BIGINT NOT NULL REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "name" TEXT NOT NULL,
    "special_use" "special_use",
    "uid_validity" INTEGER NOT NULL,
    "uid_next" INTEGER NOT NULL DEFAULT 1,
    "highest_modseq" BIGINT NOT NULL DEFAULT 1,
    "subscribed" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "mailboxes_account_id_name_key" ON "mailboxes"("account_id", "name");
CREATE UNIQUE INDEX "mailboxes_account_id_id_key" ON "mailboxes"("account_id", "id");

CREATE TABLE "blobs" (
    "id" BIGSERIAL PRIMARY KEY,
    "account_id" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "blobs_account_id_id_key" ON "blobs"("account_id", "id");

CREATE TABLE "messages" (
    "id" BIGSERIAL PRIMARY KEY,
    "account_id" BIGINT NOT NULL,
    "mailbox_id" BIGINT NOT NULL,
    "uid" INTEGER NOT NULL,
    "modseq" BIGINT NOT NULL,
    "seen" BOOLEAN NOT NULL DEFAULT false,
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "answered" BOOLEAN NOT NULL DEFAULT false,
    "draft" BOOLEAN NOT NULL DEFAULT false,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "keywords" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "internal_date" TIMESTAMPTZ(3) NOT NULL,
    "size" INTEGER NOT NULL,
    "blob_id" BIGINT NOT NULL,
    "message_id_hdr" TEXT,
    "in_reply_to" TEXT,
    "references" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "subject" TEXT NOT NULL DEFAULT '',
    "from_name" TEXT NOT NULL DEFAULT '',
    "from_address" TEXT NOT NULL DEFAULT '',
    "to_addresses" JSONB NOT NULL DEFAULT '[]',
    "cc_addresses" JSONB NOT NULL DEFAULT '[]',
    "sent_date" TIMESTAMPTZ(3),
    "snippet" TEXT NOT NULL DEFAULT '',
    "has_attachments" BOOLEAN NOT NULL DEFAULT false,
    "attachments" JSONB NOT NULL DEFAULT '[]',
    "thread_id" BIGINT NOT NULL,
    "envelope_from" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "messages_account_id_mailbox_id_fkey" FOREIGN KEY ("account_id", "mailbox_id")
        REFERENCES "mailboxes"("account_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "messages_account_id_mailbox_id_uid_key" ON "messages"("account_id", "mailbox_id", "uid");
CREATE INDEX "messages_account_id_mailbox_id_internal_date_id_idx"
    ON "messages"("account_id", "mailbox_id", "internal_date" DESC, "id" DESC);
CREATE INDEX "messages_account_id_message_id_hdr_idx" ON "messages"("account_id", "message_id_hdr");
CREATE INDEX "messages_account_id_blob_id_idx" ON "messages"("account_id", "blob_id");
-- Unread counts per mailbox without touching read rows.
CREATE INDEX "messages_unread_idx" ON "messages"("account_id", "mailbox_id") WHERE NOT "seen";

CREATE TABLE "expunged" (
    "account_id" BIGINT NOT NULL,
    "mailbox_id" BIGINT NOT NULL,
    "uid" INTEGER NOT NULL,
    "modseq" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "expunged_pkey" PRIMARY KEY ("account_id", "mailbox_id", "uid")
);

-- Thread ids are allocated from one sequence (not modelled by Prisma: it has no sequence type).
CREATE SEQUENCE "thread_id_seq";
