import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

/** A reverse operation: move these messages back into a mailbox, or set/clear one flag on them. */
export type UndoOp = { kind: 'move'; ids: string[]; mailboxId: string } | { kind: 'flag'; ids: string[]; flag: string; add: boolean };

/** The only code that touches bulk_undo. Every query is scoped by account_id. */
@Injectable()
export class BulkUndoRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Stores a record (and drops expired ones: the table holds at most an hour of bulk actions). */
  async save(accountId: string, tokenHash: string, ops: UndoOp[], expiresAt: Date): Promise<void> {
    await this.pool.query('DELETE FROM bulk_undo WHERE expires_at < now()');
    await this.pool.query('INSERT INTO bulk_undo (account_id, token_hash, ops, expires_at) VALUES ($1, $2, $3, $4)', [
      accountId,
      tokenHash,
      JSON.stringify(ops),
      expiresAt,
    ]);
  }

  /** Takes the record (single use): its ops, or undefined when unknown, expired or another account's. */
  async take(accountId: string, tokenHash: string): Promise<UndoOp[] | undefined> {
    const { rows } = await this.pool.query<{ ops: UndoOp[] }>(
      'DELETE FROM bulk_undo WHERE account_id = $1 AND token_hash = $2 AND expires_at > now() RETURNING ops',
      [accountId, tokenHash],
    );
    return rows[0]?.ops;
  }
}
