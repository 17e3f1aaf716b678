import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import type { Action, Condition, Rule, VacationSettings } from '@correio/mail-rules';
import { PG_POOL } from '../../database/database.module.js';

export interface FilterRow extends Rule {
  id: string;
}

export interface ForwardingRow {
  enabled: boolean;
  addresses: string[];
  keepCopy: boolean;
}

export interface SenderRuleRow {
  id: string;
  kind: 'block' | 'allow';
  pattern: string;
  createdAt: Date;
}

/** Everything the delivery path needs about one account's rules, read in one statement. */
export interface AccountRulesRow {
  accountId: string;
  filters: FilterRow[];
  vacation: VacationSettings | null;
  forwarding: ForwardingRow | null;
  senders: { kind: 'block' | 'allow'; pattern: string }[];
}

type Q = Pick<PoolClient, 'query'>;

const FILTER_COLUMNS = `id::text AS id, name, enabled, match_all AS "matchAll", conditions, actions`;

function toFilter(r: {
  id: string;
  name: string;
  enabled: boolean;
  matchAll: boolean;
  conditions: Condition[];
  actions: Action[];
}): FilterRow {
  return { id: r.id, name: r.name, enabled: r.enabled, match: r.matchAll ? 'all' : 'any', conditions: r.conditions, actions: r.actions };
}

function toVacation(v: Record<string, unknown> | null): VacationSettings | null {
  if (!v) return null;
  const date = (x: unknown) => (x ? new Date(x as string) : null);
  return {
    enabled: v.enabled as boolean,
    subject: v.subject as string,
    message: v.message as string,
    days: v.days as number,
    startsAt: date(v.starts_at),
    endsAt: date(v.ends_at),
  };
}

/**
 * The only code that touches mail_rules, vacation_settings, vacation_replies, forwarding_settings
 * and sender_rules (DESIGN invariant 3). Every statement filters by account (invariant 4).
 */
@Injectable()
export class RulesRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The delivery path's view of several accounts, one statement (a cache miss costs one round trip). */
  async loadForDelivery(accountIds: string[], q: Q = this.pool): Promise<AccountRulesRow[]> {
    const { rows } = await q.query<{
      id: string;
      filters: FilterRow[] | null;
      vacation: Record<string, unknown> | null;
      forwarding: { enabled: boolean; addresses: string[] | null; keep_copy: boolean } | null;
      senders: { kind: 'block' | 'allow'; pattern: string }[] | null;
    }>(
      `SELECT a.id::text AS id,
              (SELECT json_agg(json_build_object('id', r.id::text, 'name', r.name, 'enabled', r.enabled, 'matchAll', r.match_all,
                                                 'conditions', r.conditions, 'actions', r.actions) ORDER BY r.position, r.id)
                 FROM mail_rules r WHERE r.account_id = a.id) AS filters,
              (SELECT row_to_json(v) FROM vacation_settings v WHERE v.account_id = a.id) AS vacation,
              (SELECT row_to_json(f) FROM forwarding_settings f WHERE f.account_id = a.id) AS forwarding,
              (SELECT json_agg(json_build_object('kind', s.kind, 'pattern', lower(s.pattern))) FROM sender_rules s WHERE s.account_id = a.id) AS senders
         FROM unnest($1::bigint[]) AS a(id)`,
      [accountIds],
    );
    return rows.map((r) => ({
      accountId: r.id,
      filters: (r.filters ?? []).map((f) => toFilter(f as never)),
      vacation: toVacation(r.vacation),
      forwarding: r.forwarding
        ? { enabled: r.forwarding.enabled, addresses: r.forwarding.addresses ?? [], keepCopy: r.forwarding.keep_copy }
        : null,
      senders: r.senders ?? [],
    }));
  }

  async listFilters(accountId: string): Promise<FilterRow[]> {
    const { rows } = await this.pool.query(`SELECT ${FILTER_COLUMNS} FROM mail_rules WHERE account_id = $1 ORDER BY position, id`, [
      accountId,
    ]);
    return rows.map(toFilter);
  }

  async insertFilter(accountId: string, r: Rule): Promise<FilterRow> {
    const { rows } = await this.pool.query(
      `INSERT INTO mail_rules (account_id, position, name, enabled, match_all, conditions, actions)
       VALUES ($1, COALESCE((SELECT max(position) + 1 FROM mail_rules WHERE account_id = $1), 0), $2, $3, $4, $5, $6)
       RETURNING ${FILTER_COLUMNS}`,
      [accountId, r.name, r.enabled, r.match === 'all', JSON.stringify(r.conditions), JSON.stringify(r.actions)],
    );
    return toFilter(rows[0]);
  }

  async updateFilter(accountId: string, id: string, r: Rule): Promise<FilterRow | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE mail_rules SET name = $3, enabled = $4, match_all = $5, conditions = $6, actions = $7, updated_at = now()
        WHERE account_id = $1 AND id = $2 RETURNING ${FILTER_COLUMNS}`,
      [accountId, id, r.name, r.enabled, r.match === 'all', JSON.stringify(r.conditions), JSON.stringify(r.actions)],
    );
    return rows[0] ? toFilter(rows[0]) : undefined;
  }

  async deleteFilter(accountId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM mail_rules WHERE account_id = $1 AND id = $2', [accountId, id]);
    return (rowCount ?? 0) > 0;
  }

  /** Positions follow `ids`; filters not named keep their order after them. */
  async reorderFilters(tx: Q, accountId: string, ids: string[]): Promise<void> {
    await tx.query(
      `UPDATE mail_rules r SET position = o.pos
         FROM (SELECT id, row_number() OVER (ORDER BY array_position($2::bigint[], id) NULLS LAST, position, id) AS pos
                 FROM mail_rules WHERE account_id = $1) o
        WHERE r.account_id = $1 AND r.id = o.id`,
      [accountId, ids],
    );
  }

  /** Replaces every filter of the account (a Sieve import), in the caller's transaction. */
  async replaceFilters(tx: Q, accountId: string, rules: Rule[]): Promise<void> {
    await tx.query('DELETE FROM mail_rules WHERE account_id = $1', [accountId]);
    if (rules.length === 0) return;
    await tx.query(
      `INSERT INTO mail_rules (account_id, position, name, enabled, match_all, conditions, actions)
       SELECT $1, ord - 1, r->>'name', (r->>'enabled')::boolean, r->>'match' = 'all', r->'conditions', r->'actions'
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(r, ord)`,
      [accountId, JSON.stringify(rules)],
    );
  }

  async getVacation(accountId: string): Promise<VacationSettings | null> {
    const { rows } = await this.pool.query('SELECT * FROM vacation_settings WHERE account_id = $1', [accountId]);
    return toVacation(rows[0] ?? null);
  }

  async putVacation(q: Q, accountId: string, v: VacationSettings): Promise<void> {
    await q.query(
      `INSERT INTO vacation_settings (account_id, enabled, subject, message, days, starts_at, ends_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (account_id) DO UPDATE SET enabled = $2, subject = $3, message = $4, days = $5, starts_at = $6, ends_at = $7, updated_at = now()`,
      [accountId, v.enabled, v.subject, v.message, v.days, v.startsAt, v.endsAt],
    );
    // A new responder answers everyone once again (Gmail does the same when it is switched on).
    await q.query('DELETE FROM vacation_replies WHERE account_id = $1', [accountId]);
  }

  /**
   * Claims the right to answer `sender` now: true when no reply went to them within `days`
   * (RFC 5230 §4.2), recording this one. One statement in the delivering transaction, so two
   * concurrent deliveries from the same sender reply once.
   */
  async claimVacationReply(tx: Q, accountId: string, sender: string, days: number): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO vacation_replies (account_id, sender, replied_at) VALUES ($1, $2, now())
       ON CONFLICT (account_id, sender) DO UPDATE SET replied_at = now()
        WHERE vacation_replies.replied_at <= now() - make_interval(days => $3)`,
      [accountId, sender, days],
    );
    return (rowCount ?? 0) > 0;
  }

  async getForwarding(accountId: string): Promise<ForwardingRow | null> {
    const { rows } = await this.pool.query(
      'SELECT enabled, addresses, keep_copy AS "keepCopy" FROM forwarding_settings WHERE account_id = $1',
      [accountId],
    );
    return rows[0] ? { ...rows[0], addresses: rows[0].addresses ?? [] } : null;
  }

  async putForwarding(accountId: string, f: ForwardingRow): Promise<void> {
    await this.pool.query(
      `INSERT INTO forwarding_settings (account_id, enabled, addresses, keep_copy, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (account_id) DO UPDATE SET enabled = $2, addresses = $3, keep_copy = $4, updated_at = now()`,
      [accountId, f.enabled, f.addresses, f.keepCopy],
    );
  }

  async listSenders(accountId: string): Promise<SenderRuleRow[]> {
    const { rows } = await this.pool.query(
      `SELECT id::text AS id, kind, pattern, created_at AS "createdAt" FROM sender_rules WHERE account_id = $1 ORDER BY lower(pattern)`,
      [accountId],
    );
    return rows;
  }

  /** Blocks or allows a pattern; an existing entry for it (either kind) is replaced. */
  async putSender(accountId: string, kind: 'block' | 'allow', pattern: string): Promise<SenderRuleRow> {
    const { rows } = await this.pool.query(
      `INSERT INTO sender_rules (account_id, kind, pattern) VALUES ($1, $2, $3)
       ON CONFLICT (account_id, lower(pattern)) DO UPDATE SET kind = $2, created_at = now()
       RETURNING id::text AS id, kind, pattern, created_at AS "createdAt"`,
      [accountId, kind, pattern],
    );
    return rows[0];
  }

  async deleteSender(accountId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM sender_rules WHERE account_id = $1 AND id = $2', [accountId, id]);
    return (rowCount ?? 0) > 0;
  }
}
