import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient, withTransaction } from '@correio/db';
import { PG_POOL } from '../database/database.module.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { KeywordRewriteRepository } from './repositories/keyword-rewrite.repository.js';

/** What the caller's part of the transaction decided: its result, and the keyword to rename or remove (if any). */
export interface KeywordDecision<T> {
  value: T;
  /** `to` null takes the keyword off every message; undefined: nothing to rewrite. */
  rewrite?: { from: string; to: string | null };
}

/**
 * The mail store's operation for "every message with keyword K, across mailboxes" (a label
 * renamed or deleted, issue 12): the store owns messages and mailboxes (DESIGN invariant 3), so
 * the labels module changes keywords only through here.
 *
 * The caller's own rows change in the same transaction (a label's name and its keyword move
 * together, or neither does): `decide` runs first in the transaction — the caller's rows are locked
 * before message rows, the LOCK ORDER of mailbox-store.service.ts — and names the rewrite. After
 * COMMIT the flag changes (one per mailbox, each with its new modseq) go out on the change bus
 * (invariant 6): IMAP IDLE/CONDSTORE sessions and the webmail's event stream see the new keyword.
 */
@Injectable()
export class KeywordRewriteService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repo: KeywordRewriteRepository,
    private readonly events: MailEventsService,
  ) {}

  async withKeywordRewrite<T>(accountId: string, decide: (tx: PoolClient) => Promise<KeywordDecision<T>>): Promise<T> {
    const { value, changes } = await withTransaction(this.pool, async (tx) => {
      const d = await decide(tx);
      const rewrite = d.rewrite && d.rewrite.from.toLowerCase() !== d.rewrite.to?.toLowerCase() ? d.rewrite : undefined;
      return { value: d.value, changes: rewrite ? await this.repo.rewrite(tx, accountId, rewrite.from, rewrite.to) : [] };
    });
    for (const c of changes) this.events.publish(c);
    return value;
  }
}
