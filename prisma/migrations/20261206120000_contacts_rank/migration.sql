-- Contact suggestions ranked from an index. The rank is frequency decayed by age: a message sent to
-- someone counts 3, one received 1, and the weight halves every 30 days without mail. With
-- exponential decay the order does not depend on the time of the query:
--   w * 2^(-(now - last_at) / H)  orders like  log2(w) + epoch(last_at) / H
-- so the key is stored (maintained by the contacts indexer) and indexed per account: a broad prefix
-- ("a") reads the best few in key order instead of sorting every match.
ALTER TABLE "contacts" ADD COLUMN "rank_key" DOUBLE PRECISION NOT NULL DEFAULT 0;
UPDATE "contacts" SET "rank_key" = ln(greatest(3 * "sent_count" + "received_count", 1)) / ln(2) + extract(epoch FROM "last_at") / 2592000;
CREATE INDEX "contacts_rank_idx" ON "contacts"("account_id", "rank_key" DESC, "address");
