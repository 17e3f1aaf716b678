import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

type Queryable = Pick<PoolClient, 'query'>;

export interface LabelRow {
  id: string;
  name: string;
  colour: string | null;
  keyword: string;
}

const COLUMNS = 'l.id, l.name, l.colour, l.keyword';

/** The only code that touches the labels table. Every query is scoped by account_id. */
@Injectable()
export class LabelRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(accountId: string, q: Queryable = this.pool): Promise<LabelRow[]> {
    const { rows } = await q.query<LabelRow>(`SELECT ${COLUMNS} FROM labels l WHERE l.account_id = $1 ORDER BY lower(l.name), l.id`, [
      accountId,
    ]);
    return rows;
  }

  async find(accountId: string, id: string, q: Queryable = this.pool, lock = false): Promise<LabelRow | undefined> {
    const { rows } = await q.query<LabelRow>(
      `SELECT ${COLUMNS} FROM labels l WHERE l.account_id = $1 AND l.id = $2${lock ? ' FOR UPDATE' : ''}`,
      [accountId, id],
    );
    return rows[0];
  }

  /** The new row, or which unique key (name or keyword, case-insensitive) is taken by another label. */
  async insert(
    tx: Queryable,
    accountId: string,
    name: string,
    colour: string | null,
    keyword: string,
  ): Promise<LabelRow | 'name' | 'keyword'> {
    const { rows } = await tx.query<LabelRow>(
      `INSERT INTO labels AS l (account_id, name, colour, keyword) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [accountId, name, colour, keyword],
    );
    return rows[0] ?? (await this.taken(tx, accountId, '0', name, keyword)) ?? 'name';
  }

  /** Whether another label of the account has this name or keyword (case-insensitively). */
  async taken(tx: Queryable, accountId: string, exceptId: string, name: string, keyword: string): Promise<'name' | 'keyword' | undefined> {
    const { rows } = await tx.query<{ conflict: 'name' | 'keyword' }>(
      `SELECT CASE WHEN lower(name) = lower($3) THEN 'name' ELSE 'keyword' END AS conflict
         FROM labels WHERE account_id = $1 AND id <> $2 AND (lower(name) = lower($3) OR lower(keyword) = lower($4))
        ORDER BY 1 DESC LIMIT 1`,
      [accountId, exceptId, name, keyword],
    );
    return rows[0]?.conflict;
  }

  async update(
    tx: Queryable,
    accountId: string,
    id: string,
    set: { name: string; colour: string | null; keyword: string },
  ): Promise<LabelRow> {
    const { rows } = await tx.query<LabelRow>(
      'UPDATE labels l SET name = $3, colour = $4, keyword = $5 WHERE l.account_id = $1 AND l.id = $2 RETURNING l.id, l.name, l.colour, l.keyword',
      [accountId, id, set.name, set.colour, set.keyword],
    );
    return rows[0]!;
  }

  async delete(tx: Queryable, accountId: string, id: string): Promise<void> {
    await tx.query('DELETE FROM labels WHERE account_id = $1 AND id = $2', [accountId, id]);
  }
}
