-- Message bytes stay in the blobs heap row up to about 8 KB (after compression) instead of going to
-- the TOAST table past 2 KB: most mail is a few KB, and reading such a blob back (POP3 read-ahead,
-- IMAP, webmail) then needs no TOAST index lookups and chunk reassembly. Measured on a POP3
-- download of 4.6 KB messages: ~25% less PostgreSQL CPU per message (12 -> 9 µs). Larger blobs
-- are still stored out of line (MAIN does that as a last resort). Blobs are only ever read by
-- (account_id, id), so the wider heap rows cost nothing. Only new values are affected.
ALTER TABLE "blobs" ALTER COLUMN "data" SET STORAGE MAIN;
