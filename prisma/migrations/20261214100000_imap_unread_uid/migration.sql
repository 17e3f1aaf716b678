-- Issue 11: SELECT's first unseen message (RFC 3501 §6.3.1 OK [UNSEEN n]) is min(uid) of the
-- mailbox's unseen messages. messages_unread_idx (account_id, mailbox_id) WHERE NOT seen found them
-- but not in UID order, so PostgreSQL walked the UID index from the start and visited the heap row
-- of every read message before the first unread one (951 pages for 10,000 messages with two thirds
-- read: ~3 ms warm, 7.6 MB of reads after a cold start). With uid as its last column the same
-- partial index answers min(uid) from its first entry, and still serves what used the old one.
DROP INDEX IF EXISTS "messages_unread_idx";
CREATE INDEX "messages_unread_idx" ON "messages"("account_id", "mailbox_id", "uid") WHERE NOT "seen";
