-- Issue 11: what the IMAP server needs of the mail store.
--
-- 1. Text search (SEARCH TEXT/BODY/HEADER keep IMAP's substring meaning, RFC 9051 §6.4.4). One row
--    per stored message per account (copies share it, like the blob): the header section (unfolded,
--    RFC 2047 words decoded) followed by the decoded body text, lower-cased and size-capped, written
--    by the delivery statement itself. A trigram GIN index serves LIKE '%…%' (pg_trgm); account_id is
--    part of the index (btree_gin) so one account's search never walks another's posting lists.
--    Removed with the blob (ON DELETE CASCADE): every expunge path that drops an unreferenced blob
--    drops its text too.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE "message_text" (
  "account_id" BIGINT NOT NULL,
  "blob_id" BIGINT NOT NULL,
  -- content = header text || body text; the body starts at character header_length + 1.
  "header_length" INTEGER NOT NULL,
  "content" TEXT NOT NULL,
  CONSTRAINT "message_text_pkey" PRIMARY KEY ("account_id", "blob_id"),
  CONSTRAINT "message_text_blob_fkey" FOREIGN KEY ("account_id", "blob_id") REFERENCES "blobs"("account_id", "id") ON DELETE CASCADE
);
CREATE INDEX "message_text_content_trgm_idx" ON "message_text" USING gin ("account_id", "content" gin_trgm_ops);

-- 2. The parsed structure FETCH serves ENVELOPE, BODYSTRUCTURE and BODY[section] from (RFC 9051
--    §7.5.2), computed once per stored message (per blob: copies share the bytes) on first need and
--    kept. `version` is MessageStructure.version: an older one is recomputed, nothing else is.
--    Its own table, not a column of blobs: filling it later must not rewrite the blob rows.
CREATE TABLE "message_structures" (
  "account_id" BIGINT NOT NULL,
  "blob_id" BIGINT NOT NULL,
  "version" INTEGER NOT NULL,
  "structure" JSONB NOT NULL,
  CONSTRAINT "message_structures_pkey" PRIMARY KEY ("account_id", "blob_id"),
  CONSTRAINT "message_structures_blob_fkey" FOREIGN KEY ("account_id", "blob_id") REFERENCES "blobs"("account_id", "id") ON DELETE CASCADE
);

-- 3. UIDVALIDITY of mailboxes created over IMAP (RFC 9051 §2.3.1.1: a mailbox re-created under a
--    former name must get a new one). Seconds since the epoch alone repeat within a second, so
--    values come from this sequence, kept ahead of the clock (see imap-mailbox.repository.ts).
CREATE SEQUENCE "mailbox_uid_validity_seq" AS INTEGER;
SELECT setval('mailbox_uid_validity_seq', extract(epoch FROM now())::bigint);

-- 4. Sequence sets and SEARCH read messages by UID within a mailbox: the unique key
--    (account_id, mailbox_id, uid) serves them already. Flag searches on big mailboxes filter that
--    range; no extra index.
