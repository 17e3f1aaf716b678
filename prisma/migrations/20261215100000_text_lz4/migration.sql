-- Issue 10: the search text is compressed with LZ4 too, as the message bytes already are
-- (20261126160000_blob_lz4). Every delivery writes a row of message_text_pending whose text is a few
-- KiB (up to ~16 KiB of body plus the header): past ~2 KB PostgreSQL compresses it, and pglz costs
-- ~40 µs for 4 KiB and several times LZ4's for larger text, inside the delivery statement, before the
-- 250. The indexer moves the same text into message_text, and uploads are compressed when stored.
-- Only new values use it. Servers built without LZ4 (the embedded PGlite among them) answer
-- feature_not_supported and keep pglz.
DO $$
BEGIN
  ALTER TABLE "message_text_pending" ALTER COLUMN "content" SET COMPRESSION lz4;
  ALTER TABLE "message_text" ALTER COLUMN "content" SET COMPRESSION lz4;
  ALTER TABLE "uploads" ALTER COLUMN "data" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'LZ4 compression not available here; search text keeps the default compression';
END
$$;
