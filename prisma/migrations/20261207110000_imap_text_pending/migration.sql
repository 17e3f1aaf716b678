-- The search text leaves the delivery path's costly part behind: the delivery statement writes the
-- row here (no trigram index: a heap row and its primary key), and the message text indexer
-- (mailbox-store/search/message-text.indexer.ts) moves rows in batches into message_text, whose
-- trigram GIN index is what costs. Measured on this machine with 4 KB messages of ordinary text
-- (~1,300 distinct trigrams each): the GIN insertion doubled the delivery statement's time. SEARCH
-- reads both tables, so a message is searchable from its COMMIT on.
CREATE TABLE "message_text_pending" (
  "account_id" BIGINT NOT NULL,
  "blob_id" BIGINT NOT NULL,
  "header_length" INTEGER NOT NULL,
  "content" TEXT NOT NULL,
  CONSTRAINT "message_text_pending_pkey" PRIMARY KEY ("account_id", "blob_id"),
  CONSTRAINT "message_text_pending_blob_fkey" FOREIGN KEY ("account_id", "blob_id") REFERENCES "blobs"("account_id", "id") ON DELETE CASCADE
);
