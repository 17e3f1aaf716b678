-- Issue 12: each mailbox keeps its message and unseen counts, so the webmail's mailbox list (read
-- after every change) and IMAP STATUS need not count a 1,000,000-message mailbox. Kept by
-- statement-level triggers over the transition tables: every write path (delivery, APPEND, COPY,
-- MOVE, STORE, EXPUNGE, the webmail's and the API's actions, an account's purge) counts the same
-- way, a bulk statement updates each mailbox once, and a statement that changes no count (\Flagged,
-- keywords, the kept IMAP text) writes nothing.
--
-- Lock order: every writer that changes these counts has already locked its mailbox rows (UID and
-- modseq allocation update them first, DESIGN "one owner", mailbox-store.service.ts), so the
-- trigger's UPDATE takes no new lock there and cannot deadlock against a delivery.
ALTER TABLE mailboxes ADD COLUMN message_count integer NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN unseen_count integer NOT NULL DEFAULT 0;

UPDATE mailboxes b SET message_count = c.total, unseen_count = c.unseen
  FROM (SELECT account_id, mailbox_id, count(*) AS total, count(*) FILTER (WHERE NOT seen) AS unseen
          FROM messages GROUP BY account_id, mailbox_id) c
 WHERE b.account_id = c.account_id AND b.id = c.mailbox_id;

CREATE FUNCTION mailbox_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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

CREATE TRIGGER messages_counts_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS counts_new FOR EACH STATEMENT EXECUTE FUNCTION mailbox_counts_apply();
CREATE TRIGGER messages_counts_delete AFTER DELETE ON messages
  REFERENCING OLD TABLE AS counts_old FOR EACH STATEMENT EXECUTE FUNCTION mailbox_counts_apply();
CREATE TRIGGER messages_counts_update AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS counts_old NEW TABLE AS counts_new FOR EACH STATEMENT EXECUTE FUNCTION mailbox_counts_apply();
