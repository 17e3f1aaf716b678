import { Inject, Injectable } from '@nestjs/common';
import type { AuditEntry, AuditList, AuditListQuery } from '@correio/contracts';
import type { Pool, PoolClient } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

export interface NewAuditEntry {
  actorId: string | null;
  actorAddress: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

interface AuditRow {
  id: string;
  actor_id: string | null;
  actor_address: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  at: Date;
}

/** The only code that touches admin_audit. Inserts and reads; the table refuses anything else. */
@Injectable()
export class AdminAuditRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Only in the audited action's own transaction (`tx`, required): the entry commits or rolls back
   * with the change it records (AuditTrail). There is deliberately no form that writes on its own.
   */
  async insert(tx: Pick<PoolClient, 'query'>, e: NewAuditEntry): Promise<void> {
    await tx.query(
      `INSERT INTO admin_audit (actor_id, actor_address, action, target, details, ip) VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [e.actorId, e.actorAddress, e.action, e.target, JSON.stringify(e.details), e.ip],
    );
  }

  /** Newest first, keyset on id (admin_audit_actor_idx / admin_audit_action_idx / the primary key). */
  async list(q: AuditListQuery): Promise<AuditList> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.actor) where.push(`actor_address = $${params.push(q.actor.toLowerCase())}`);
    if (q.action) where.push(`action = $${params.push(q.action)}`);
    if (q.cursor) where.push(`id < $${params.push(q.cursor)}`);
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT id::text, actor_id::text, actor_address, action, target, details, ip, at FROM admin_audit
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, q.limit);
    const entries: AuditEntry[] = page.map((r) => ({
      id: r.id,
      actorId: r.actor_id,
      actorAddress: r.actor_address,
      action: r.action,
      target: r.target,
      details: r.details,
      ip: r.ip,
      at: new Date(r.at).toISOString(),
    }));
    return { entries, nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
  }
}
