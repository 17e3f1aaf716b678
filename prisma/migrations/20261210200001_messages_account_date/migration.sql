-- Issue 12/13 search (GET /api/v1/messages?q=): the account's mail newest first across its
-- mailboxes. Without this index a search walks each mailbox on (account_id, mailbox_id,
-- internal_date, id) and must take a full page from every one of them before merging (measured on
-- 100,000 messages: a phrase matching 1.3% of them probed ~11,700 text rows, 250 ms, instead of
-- ~2,400, 41 ms; label:work 81 ms instead of 1.5 ms), or scans and sorts the whole account
-- ("everything, page 1": 124 ms). One more B-tree entry per stored message.
CREATE INDEX "messages_account_id_internal_date_id_idx" ON "messages"("account_id", "internal_date" DESC, "id" DESC);
