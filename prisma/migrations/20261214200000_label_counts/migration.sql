-- Issue 12: label (keyword) counts kept by the store, like the mailbox counts (migration
-- 20261213600000_mailbox_counts), so GET /counts and GET /labels read O(mailboxes × labels) rows
-- instead of aggregating every labelled message of the account (42 ms at 1,000,000 messages).
--
-- One row per (mailbox, lower-cased keyword) with messages carrying that keyword and how many of
-- them are unseen. Per mailbox and not per account because the sidebar's label counts leave out
-- Trash and Junk, and a mailbox can change its special use: the reader sums the rows of the
-- mailboxes that count, so nothing has to be recounted when a folder's role changes.
--
-- Kept by statement-level triggers over the transition tables, so every write path counts the same
-- way (delivery with a filter's label, APPEND, COPY, MOVE, STORE of keywords or \Seen, EXPUNGE, a
-- label's rename or delete rewriting keywords, bulk actions, an account's purge) and a statement
-- touches each (mailbox, keyword) row once. Rows whose messages carry no keyword (most mail, and
-- every plain delivery) are filtered out before anything is grouped or written: a delivery without
-- keywords costs one scan of its own transition table and no write.
--
-- Lock order: the writers of messages have locked their mailbox rows first (UID/modseq
-- allocation), and the rows here are upserted in key order, so two statements cannot deadlock on
-- them. No foreign key: a row outlives nothing (its messages' DELETE, cascaded or not, brings it to
-- zero and removes it), and a delivery takes no extra FK check. Per delivery statement without
-- keywords the cost is this trigger's one scan of the statement's own new rows.
CREATE TABLE "mailbox_keyword_counts" (
    "account_id" BIGINT NOT NULL,
    "mailbox_id" BIGINT NOT NULL,
    "keyword" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "unseen" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "mailbox_keyword_counts_pkey" PRIMARY KEY ("account_id", "mailbox_id", "keyword")
);

INSERT INTO mailbox_keyword_counts (account_id, mailbox_id, keyword, total, unseen)
SELECT m.account_id, m.mailbox_id, lower(k), count(*), count(*) FILTER (WHERE NOT m.seen)
  FROM messages m CROSS JOIN LATERAL unnest(m.keywords) k
 WHERE cardinality(m.keywords) > 0
 GROUP BY 1, 2, 3;

CREATE FUNCTION mailbox_keyword_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  a bigint[];
  m bigint[];
  k text[];
  t int[];
  u int[];
BEGIN
  -- This statement's deltas per (account, mailbox, keyword). Each transition table is named only
  -- in the branch of the operation that has it (plpgsql plans a statement when it first runs).
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(d.account_id), array_agg(d.mailbox_id), array_agg(d.keyword), array_agg(d.total), array_agg(d.unseen)
      INTO a, m, k, t, u
      FROM (SELECT account_id, mailbox_id, lower(kw) AS keyword, count(*)::int AS total, (count(*) FILTER (WHERE NOT seen))::int AS unseen
              FROM kc_new CROSS JOIN LATERAL unnest(keywords) kw
             WHERE cardinality(keywords) > 0
             GROUP BY 1, 2, 3) d;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(d.account_id), array_agg(d.mailbox_id), array_agg(d.keyword), array_agg(-d.total), array_agg(-d.unseen)
      INTO a, m, k, t, u
      FROM (SELECT account_id, mailbox_id, lower(kw) AS keyword, count(*)::int AS total, (count(*) FILTER (WHERE NOT seen))::int AS unseen
              FROM kc_old CROSS JOIN LATERAL unnest(keywords) kw
             WHERE cardinality(keywords) > 0
             GROUP BY 1, 2, 3) d;
  ELSE
    -- An UPDATE that left a row's keywords, seen and mailbox as they were nets to zero: no write.
    SELECT array_agg(d.account_id), array_agg(d.mailbox_id), array_agg(d.keyword), array_agg(d.total), array_agg(d.unseen)
      INTO a, m, k, t, u
      FROM (SELECT x.account_id, x.mailbox_id, lower(kw) AS keyword, sum(x.n)::int AS total, sum(x.s)::int AS unseen
              FROM (SELECT account_id, mailbox_id, keywords, 1 AS n, (NOT seen)::int AS s FROM kc_new WHERE cardinality(keywords) > 0
                    UNION ALL
                    SELECT account_id, mailbox_id, keywords, -1, -((NOT seen)::int) FROM kc_old WHERE cardinality(keywords) > 0) x
             CROSS JOIN LATERAL unnest(x.keywords) kw
             GROUP BY 1, 2, 3
            HAVING sum(x.n) <> 0 OR sum(x.s) <> 0) d;
  END IF;
  IF a IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO mailbox_keyword_counts AS c (account_id, mailbox_id, keyword, total, unseen)
  SELECT * FROM unnest(a, m, k, t, u) ORDER BY 1, 2, 3
  ON CONFLICT (account_id, mailbox_id, keyword)
    DO UPDATE SET total = c.total + EXCLUDED.total, unseen = c.unseen + EXCLUDED.unseen;
  -- A (mailbox, keyword) with no message left goes, so the table stays as small as what is labelled.
  DELETE FROM mailbox_keyword_counts c
   USING unnest(a, m, k) z(account_id, mailbox_id, keyword)
   WHERE c.account_id = z.account_id AND c.mailbox_id = z.mailbox_id AND c.keyword = z.keyword AND c.total <= 0;
  RETURN NULL;
END;
$$;

CREATE TRIGGER messages_keyword_counts_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS kc_new FOR EACH STATEMENT EXECUTE FUNCTION mailbox_keyword_counts_apply();
CREATE TRIGGER messages_keyword_counts_delete AFTER DELETE ON messages
  REFERENCING OLD TABLE AS kc_old FOR EACH STATEMENT EXECUTE FUNCTION mailbox_keyword_counts_apply();
CREATE TRIGGER messages_keyword_counts_update AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS kc_old NEW TABLE AS kc_new FOR EACH STATEMENT EXECUTE FUNCTION mailbox_keyword_counts_apply();
