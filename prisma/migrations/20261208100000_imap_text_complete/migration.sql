-- SEARCH BODY/TEXT over the whole message (RFC 9051 §6.4.4 substring), without costing the delivery:
-- the delivery statement still writes the quick text it has (the summary's), and says whether that
-- text is the complete one (a small single text/plain part) or may be short of it (a larger body,
-- HTML, several parts, a forwarded message/rfc822). The message text indexer replaces an incomplete
-- row with the text extracted from the blob (mailbox-store/search/full-text.ts, capped at 1 Mi
-- characters) before moving it under the trigram index; SEARCH does the same at once for the
-- account's incomplete rows still pending. Rows already in message_text keep the text they had.
ALTER TABLE "message_text_pending" ADD COLUMN "complete" BOOLEAN NOT NULL DEFAULT true;
CREATE INDEX "message_text_pending_incomplete_idx" ON "message_text_pending" ("account_id") WHERE NOT "complete";
