-- ENVELOPE, BODY and BODYSTRUCTURE kept as the exact IMAP response text (libs/imap-protocol
-- wireForms), beside the structure they come from: a full sync (UID FETCH 1:* (FLAGS ENVELOPE))
-- writes them as they are instead of parsing the JSON and encoding a value tree per message.
-- The *_utf8 forms are for sessions with UTF8=ACCEPT / IMAP4rev2 and NULL when equal to the plain
-- form (all-ASCII strings). Rows kept before this migration have NULLs: FETCH fills them on first
-- use (from the kept structure, no blob read), so nothing is backfilled here.
ALTER TABLE "message_structures"
  ADD COLUMN "envelope_imap" TEXT,
  ADD COLUMN "envelope_imap_utf8" TEXT,
  ADD COLUMN "body_imap" TEXT,
  ADD COLUMN "body_imap_utf8" TEXT,
  ADD COLUMN "bodystructure_imap" TEXT,
  ADD COLUMN "bodystructure_imap_utf8" TEXT;
