-- Issues 10 and 11: the hottest writers of `messages` keep the mailbox and keyword counts
-- themselves, in the statement that writes the messages, and the count triggers (migrations
-- 20261213600000_mailbox_counts, 20261214200000_label_counts) skip that one statement.
--
-- Why: the two statement-level triggers were about half of the execution of a one-row STORE
-- (0.038 of 0.120 ms) and a quarter of the MX's delivery statement (0.10 of 0.39 ms): each is a
-- plpgsql call that aggregates its transition tables and then writes, although the statement has
-- just updated the very mailbox row the count lives on (UID/modseq allocation). Those writers now
-- add the count deltas to that same UPDATE, for nothing:
--   - delivery and APPEND (INSERT_COPY_SQL): message_count + 1, unseen_count + (not \Seen);
--   - IMAP STORE (imap-write-statements.ts): unseen_count by the rows whose \Seen changed;
--   - IMAP EXPUNGE: message_count and unseen_count less the rows expunged.
--
-- How a statement says so: it sets `correio.mailbox_counts_kept` (and, when none of its rows
-- carries a keyword before or after, `correio.keyword_counts_kept`) to its operation's TG_OP with
-- set_config(..., true). The trigger of that operation fires at the end of that statement (AFTER
-- STATEMENT triggers fire even when no row changed), finds the marker, clears it and returns.
-- Clearing it is what keeps the marker to its own statement: the next statement of the same
-- transaction (a group commit holds several deliveries; a rule or COPY may follow) counts through
-- the triggers again unless it sets the marker itself. Every other writer (COPY, MOVE, the
-- webmail's and the API's actions, purge, keyword rewrite, fixtures) is unchanged and counted by
-- the triggers as before: correctness does not depend on a writer knowing about this.

CREATE OR REPLACE FUNCTION mailbox_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The statement kept these counts itself (see the head of this file): consume its marker, so
  -- that no later statement of the transaction is skipped, and write nothing.
  IF current_setting('correio.mailbox_counts_kept', true) = TG_OP THEN
    PERFORM set_config('correio.mailbox_counts_kept', '', true);
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    UPDATE mailboxes b SET message_count = b.message_count + d.total, unseen_count = b.unseen_count + d.unseen
      FROM (SELECT account_id, mailbox_id, count(*) AS total, count(*) FILTER (WHERE NOT seen) AS unseen
              FROM counts_new GROUP BY account_id, mailbox_id) d
     WHERE b.account_id = d.account_id AND b.id = d.mailbox_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE mailboxes b SET message_count = b.message_count - d.total, unseen_count = b.unseen_count - d.unseen
      FROM (SELECT account_id, mailbox_id, count(*) AS total, count(*) FILTER (WHERE NOT seen) AS unseen
              FROM counts_old GROUP BY account_id, mailbox_id) d
     WHERE b.account_id = d.account_id AND b.id = d.mailbox_id;
  ELSE
    UPDATE mailboxes b SET message_count = b.message_count + d.total, unseen_count = b.unseen_count + d.unseen
      FROM (SELECT account_id, mailbox_id, sum(total) AS total, sum(unseen) AS unseen
              FROM (SELECT account_id, mailbox_id, 1 AS total, (NOT seen)::int AS unseen FROM counts_new
                    UNION ALL
                    SELECT account_id, mailbox_id, -1, -((NOT seen)::int) FROM counts_old) x
             GROUP BY account_id, mailbox_id) d
     WHERE b.account_id = d.account_id AND b.id = d.mailbox_id AND (d.total <> 0 OR d.unseen <> 0);
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION mailbox_keyword_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  a bigint[];
  m bigint[];
  k text[];
  t int[];
  u int[];
BEGIN
  -- The statement kept these counts itself (see the head of this file): consume its marker, so
  -- that no later statement of the transaction is skipped, and write nothing.
  IF current_setting('correio.keyword_counts_kept', true) = TG_OP THEN
    PERFORM set_config('correio.keyword_counts_kept', '', true);
    RETURN NULL;
  END IF;
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
