import { Injectable } from '@nestjs/common';
import type { PoolClient } from '@correio/db';
import type { NewDkimKey } from '../dkim-keys.js';
import { ACCOUNT_INFO_COLUMNS, type AccountInfoRow } from './directory.repository.js';

type Queryable = Pick<PoolClient, 'query'>;

/**
 * The directory's writes to domains, accounts, aliases and dkim_keys, each in the CALLER's
 * transaction (plain SQL, not Prisma, whose queries cannot join a pg client's transaction): so an
 * admin action and its audit entry commit together or not at all (DirectoryService's
 * `recordWithin`). Part of the directory module, the tables' one owner.
 */
@Injectable()
export class DirectoryWriteRepository {
  /**
   * The domain's row and, when this call created it, its DKIM keys. A domain made meanwhile by
   * someone else is used as it is (created: false), not an error.
   */
  async ensureDomain(tx: Queryable, name: string, keys: NewDkimKey[]): Promise<{ id: string; name: string; created: boolean }> {
    const inserted = await tx.query<{ id: string }>('INSERT INTO domains (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id', [
      name,
    ]);
    if (inserted.rows[0]) {
      await this.insertDkimKeys(tx, inserted.rows[0].id, keys, true);
      return { id: inserted.rows[0].id, name, created: true };
    }
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM domains WHERE name = $1', [name]);
    return { id: rows[0]!.id, name, created: false };
  }

  /** The domain row (its keys and aliases by cascade); false when there is none. */
  async deleteDomain(tx: Queryable, id: bigint): Promise<boolean> {
    return ((await tx.query('DELETE FROM domains WHERE id = $1', [id])).rowCount ?? 0) === 1;
  }

  async setCatchAll(tx: Queryable, id: bigint, catchAll: string | null): Promise<boolean> {
    return ((await tx.query('UPDATE domains SET catch_all = $2 WHERE id = $1', [id, catchAll])).rowCount ?? 0) === 1;
  }

  /** `active` false: a rotation's keys, published before they sign. */
  async insertDkimKeys(tx: Queryable, domainId: string | bigint, keys: NewDkimKey[], active: boolean): Promise<void> {
    if (keys.length === 0) return;
    const values: unknown[] = [domainId, active];
    const tuples = keys.map(
      (k) =>
        `($1, $${values.push(k.selector)}, $${values.push(k.algorithm)}::dkim_algorithm, $${values.push(k.privateKey)}, $${values.push(k.publicKey)}, $2)`,
    );
    await tx.query(
      `INSERT INTO dkim_keys (domain_id, selector, algorithm, private_key, public_key, active) VALUES ${tuples.join(', ')}`,
      values,
    );
  }

  /** The signing keys retire and the waiting ones sign from now on; returns how many now sign. */
  async promotePendingDkimKeys(tx: Queryable, domainId: bigint): Promise<number> {
    await tx.query('UPDATE dkim_keys SET active = false, retired_at = now() WHERE domain_id = $1 AND active', [domainId]);
    const { rowCount } = await tx.query('UPDATE dkim_keys SET active = true WHERE domain_id = $1 AND NOT active AND retired_at IS NULL', [
      domainId,
    ]);
    return rowCount ?? 0;
  }

  /** Undefined fields stay as they are; null when there is no such account. */
  async updateAccount(
    tx: Queryable,
    id: bigint,
    c: { displayName?: string; quotaBytes?: bigint; role?: 'admin' | 'user'; disabled?: boolean },
  ): Promise<AccountInfoRow | null> {
    const { rows } = await tx.query<AccountInfoRow>(
      `UPDATE accounts SET display_name = COALESCE($2, display_name), quota_bytes = COALESCE($3, quota_bytes),
              role = COALESCE($4::account_role, role), disabled = COALESCE($5, disabled)
        WHERE id = $1 RETURNING ${ACCOUNT_INFO_COLUMNS}`,
      [id, c.displayName ?? null, c.quotaBytes ?? null, c.role ?? null, c.disabled ?? null],
    );
    return rows[0] ?? null;
  }

  /** Disabled now, marked for the purge worker; null when there is no such account. */
  async markForRemoval(tx: Queryable, id: bigint): Promise<AccountInfoRow | null> {
    const { rows } = await tx.query<AccountInfoRow>(
      `UPDATE accounts SET disabled = true, delete_requested_at = now() WHERE id = $1 RETURNING ${ACCOUNT_INFO_COLUMNS}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async updatePassword(tx: Queryable, id: bigint, passwordHash: string): Promise<boolean> {
    return ((await tx.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [id, passwordHash])).rowCount ?? 0) === 1;
  }

  /** The alias's destinations, locked until the caller's transaction ends (a replace reads, then writes). */
  async lockAliases(tx: Queryable, address: string): Promise<string[]> {
    const { rows } = await tx.query<{ destination: string }>(
      'SELECT destination FROM aliases WHERE address = $1 ORDER BY destination FOR UPDATE',
      [address],
    );
    return rows.map((r) => r.destination);
  }

  async insertAliases(tx: Queryable, domainId: bigint, address: string, destinations: string[]): Promise<void> {
    if (destinations.length === 0) return;
    await tx.query('INSERT INTO aliases (domain_id, address, destination) SELECT $1, $2, d FROM unnest($3::text[]) AS d', [
      domainId,
      address,
      destinations,
    ]);
  }

  /** Every destination of the alias, or only those listed; returns how many rows went. */
  async deleteAliases(tx: Queryable, address: string, destinations?: string[]): Promise<number> {
    const { rowCount } = await tx.query(
      'DELETE FROM aliases WHERE address = $1 AND ($2::text[] IS NULL OR destination = ANY($2::text[]))',
      [address, destinations ?? null],
    );
    return rowCount ?? 0;
  }
}
