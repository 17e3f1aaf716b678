-- Message bytes are compressed with LZ4 instead of PostgreSQL's default pglz: several times less
-- CPU to store and to read back (every delivery writes a blob; POP3/IMAP/webmail read them), at a
-- slightly lower ratio. Only new values use it. Servers built without LZ4 (the embedded PGlite
-- among them) answer feature_not_supported and keep pglz.
DO $$
BEGIN
  ALTER TABLE "blobs" ALTER COLUMN "data" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'LZ4 compression not available here; blobs keep the default compression';
END
$$;
