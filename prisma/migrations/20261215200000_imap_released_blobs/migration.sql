-- Issue 11, round 3: IMAP EXPUNGE in one autocommitted statement. The blobs of expunged messages
-- are not deleted by EXPUNGE itself any more (that took a second and third statement and a
-- transaction around them: BEGIN, expunge, "is the blob still referenced?", delete, COMMIT) but
-- recorded here, in the expunge's own statement, and deleted a moment later by the blob reaper
-- (apps/api/src/mailbox-store/imap-blob-reaper.ts) if no message refers to them any more.
--
-- A row is a candidate, not a verdict: a copy may share the blob (COPY, or the other mailbox of a
-- multi-recipient delivery), and the reaper asks in its own, later statement. Committed with the
-- expunge, so a crash between the expunge and the reaper leaves the candidate for the next run
-- (the reaper sweeps at start) and never a blob nobody will look at again.
--
-- No foreign key: an account's purge deletes its blobs in its own steps, and a candidate whose blob
-- is gone is simply dropped by the reaper.
CREATE TABLE "released_blobs" (
    "account_id" BIGINT NOT NULL,
    "blob_id" BIGINT NOT NULL,
    "released_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "released_blobs_pkey" PRIMARY KEY ("account_id", "blob_id")
);
