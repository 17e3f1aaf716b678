import { Injectable } from '@nestjs/common';
import type { PoolClient } from '@correio/db';
import type { MailboxChange } from '../mailbox-store.types.js';

/**
 * Renames or removes an IMAP keyword on every message of an account (a label renamed or deleted),
 * for KeywordRewriteService. One transaction across mailboxes: doing a rename with the STORE path
 * (one mailbox's UIDs per call) would take two transactions per mailbox (add the new, remove the
 * old) and show IMAP clients a moment with both.
 * It follows the store's rules exactly (imap-message-writes.ts): the LOCK ORDER
 * (message rows FOR UPDATE by id, then mailbox rows by ascending id), one new modseq per mailbox for
 * the messages it changes (RFC 7162 §3.1: every flag change gets a new, higher mod-sequence), and the
 * service publishes the returned changes on the change bus after COMMIT (invariant 6), so IDLE and
 * CONDSTORE clients and the webmail's event stream see the new keyword. The keyword rewrite itself is ONE statement.
 * Keywords compare case-insensitively (RFC 9051 §2.3.2).
 */
@Injectable()
export class KeywordRewriteRepository {
  /** `to` null removes the keyword. Returns one 'flags' change per mailbox touched. */
  async rewrite(tx: PoolClient, accountId: string, from: string, to: string | null): Promise<MailboxChange[]> {
    const { rows: hit } = await tx.query<{ id: string; mailboxId: string }>(
      `SELECT m.id, m.mailbox_id AS "mailboxId" FROM messages m
        WHERE m.account_id = $1 AND cardinality(m.keywords) > 0
          AND EXISTS (SELECT 1 FROM unnest(m.keywords) k WHERE lower(k) = lower($2))
        ORDER BY m.id FOR UPDATE`,
      [accountId, from],
    );
    if (hit.length === 0) return [];
    const mailboxIds = [...new Set(hit.map((h) => h.mailboxId))];
    // The subquery locks the mailbox rows in ascending id order (the LOCK ORDER) before the UPDATE.
    const { rows: boxes } = await tx.query<{ id: string; modseq: string }>(
      `UPDATE mailboxes b SET highest_modseq = b.highest_modseq + 1
         FROM (SELECT id FROM mailboxes WHERE account_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE) o
        WHERE b.account_id = $1 AND b.id = o.id
        RETURNING b.id, b.highest_modseq AS modseq`,
      [accountId, mailboxIds],
    );
    const { rows: changed } = await tx.query<{ mailboxId: string; modseq: string; uids: number[] }>(
      `WITH upd AS (
         UPDATE messages m
            SET keywords = ARRAY(SELECT k FROM unnest(m.keywords) k WHERE lower(k) <> lower($4))
                           || CASE WHEN $5::text IS NULL OR EXISTS (SELECT 1 FROM unnest(m.keywords) k WHERE lower(k) = lower($5))
                                   THEN '{}'::text[] ELSE ARRAY[$5::text] END,
                modseq = x.modseq
           FROM unnest($2::bigint[], $3::bigint[]) AS x(mailbox_id, modseq)
          WHERE m.account_id = $1 AND m.id = ANY($6::bigint[]) AND m.mailbox_id = x.mailbox_id
          RETURNING m.mailbox_id, m.modseq, m.uid)
       SELECT mailbox_id AS "mailboxId", modseq, array_agg(uid ORDER BY uid) AS uids FROM upd GROUP BY mailbox_id, modseq`,
      [accountId, boxes.map((b) => b.id), boxes.map((b) => b.modseq), from, to, hit.map((h) => h.id)],
    );
    return changed.map((c) => ({ accountId, mailboxId: c.mailboxId, kind: 'flags', uids: c.uids, modseq: c.modseq }));
  }
}
