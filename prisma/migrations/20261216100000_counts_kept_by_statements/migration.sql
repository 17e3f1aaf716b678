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
-- carries a keyword before or after, `correio.keyword_counts_kept`) to its operation (INSERT,
-- UPDATE, DELETE) with set_config(..., true). Each count trigger's WHEN asks correio_counts_kept()
-- at the end of that statement (AFTER STATEMENT triggers are queued then, even when no row
-- changed), which clears a matching marker and answers true: the trigger does not fire, and its
-- function (unchanged, from the migrations above) is not even called. Clearing it is what keeps
-- the marker to its own statement: the next statement of the same transaction (a group commit
-- holds several deliveries; a rule or COPY may follow) counts through the triggers again unless it
-- sets the marker itself. Every other writer (COPY, MOVE, the webmail's and the API's actions,
-- purge, keyword rewrite, fixtures) is unchanged and counted by the triggers as before:
-- correctness does not depend on a writer knowing about this.

CREATE FUNCTION correio_counts_kept(marker text, op text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting(marker, true) = op THEN
    PERFORM set_config(marker, '', true);
    RETURN true;
  END IF;
  RETURN false;
END;
$$;

DROP TRIGGER messages_counts_insert ON messages;
DROP TRIGGER messages_counts_delete ON messages;
DROP TRIGGER messages_counts_update ON messages;
DROP TRIGGER messages_keyword_counts_insert ON messages;
DROP TRIGGER messages_keyword_counts_delete ON messages;
DROP TRIGGER messages_keyword_counts_update ON messages;

CREATE TRIGGER messages_counts_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS counts_new FOR EACH STATEMENT
  WHEN (NOT correio_counts_kept('correio.mailbox_counts_kept', 'INSERT')) EXECUTE FUNCTION mailbox_counts_apply();
CREATE TRIGGER messages_counts_delete AFTER DELETE ON messages
  REFERENCING OLD TABLE AS counts_old FOR EACH STATEMENT
  WHEN (NOT correio_counts_kept('correio.mailbox_counts_kept', 'DELETE')) EXECUTE FUNCTION mailbox_counts_apply();
CREATE TRIGGER messages_counts_update AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS counts_old NEW TABLE AS counts_new FOR EACH STATEMENT
  WHEN (NOT correio_counts_kept('correio.mailbox_counts_kept', 'UPDATE')) EXECUTE FUNCTION mailbox_counts_apply();
CREATE TRIGGER messages_keyword_counts_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS kc_new FOR EACH STATEMENT
  WHEN (NOT correio_counts_kept('correio.keyword_counts_kept', 'INSERT')) EXECUTE FUNCTION mailbox_keyword_counts_apply();
CREATE TRIGGER messages_keyword_counts_delete AFTER DELETE ON messages
  REFERENCING OLD TABLE AS kc_old FOR EACH STATEMENT
  WHEN (NOT correio_counts_kept('correio.keyword_counts_kept', 'DELETE')) EXECUTE FUNCTION mailbox_keyword_counts_apply();
CREATE TRIGGER messages_keyword_counts_update AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS kc_old NEW TABLE AS kc_new FOR EACH STATEMENT
  WHEN (NOT correio_counts_kept('correio.keyword_counts_kept', 'UPDATE')) EXECUTE FUNCTION mailbox_keyword_counts_apply();
