-- ENVELOPE, BODY and BODYSTRUCTURE kept as the exact IMAP response text (libs/imap-protocol
-- envelopeForms / bodyForms): a full sync (UID FETCH 1:* (FLAGS ENVELOPE)) writes them as they are
-- instead of parsing JSON and encoding a value tree per message.
-- The *_utf8 forms are for sessions with UTF8=ACCEPT / IMAP4rev2 and NULL when equal to the plain
-- form (all-ASCII strings). Everything starts NULL and FETCH fills it on first use (from the kept
-- structure, or while computing it), so delivery writes nothing more and nothing is backfilled here.
--
-- The envelope sits on the message row itself: joining message_structures per message cost the
-- full sync of 10,000 messages ~4 µs a row in PostgreSQL (an index probe into a wide table), about
-- as much as everything else together. envelope_imap_version is the MESSAGE_STRUCTURE_VERSION it
-- was computed with (an older one is recomputed, as for message_structures.version).
ALTER TABLE "messages"
  ADD COLUMN "envelope_imap" TEXT,
  ADD COLUMN "envelope_imap_utf8" TEXT,
  ADD COLUMN "envelope_imap_version" SMALLINT;

-- BODY / BODYSTRUCTURE beside the structure they come from (asked less often than ENVELOPE).
ALTER TABLE "message_structures"
  ADD COLUMN "body_imap" TEXT,
  ADD COLUMN "body_imap_utf8" TEXT,
  ADD COLUMN "bodystructure_imap" TEXT,
  ADD COLUMN "bodystructure_imap_utf8" TEXT;
