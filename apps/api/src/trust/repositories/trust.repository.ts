import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { PG_POOL } from '../../database/database.module.js';

/**
 * Read-only look-ups for trust signals: a message's From and stored verdicts (mail store's messages),
 * and the domains this server hosts and the account writes to (directory's domains, contacts), each
 * one statement scoped by the account.
 */
@Injectable()
export class TrustRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async message(accountId: string, id: string): Promise<{ fromAddress: string; authResults: unknown } | undefined> {
    const { rows } = await this.pool.query<{ fromAddress: string; authResults: unknown }>(
      'SELECT from_address AS "fromAddress", auth_results AS "authResults" FROM messages WHERE account_id = $1 AND id = $2',
      [accountId, id],
    );
    return rows[0];
  }

  /**
   * Domains the account has reason to trust: every domain of this server, and the domains of the
   * 500 best-ranked people it wrote to (contacts with sent mail, ranked by the contacts indexer).
   */
  async knownDomains(accountId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ domain: string }>(
      `SELECT name AS domain FROM domains
       UNION
       SELECT DISTINCT split_part(c.address, '@', 2) FROM (
         SELECT address FROM contacts WHERE account_id = $1 AND sent_count > 0 ORDER BY rank_key DESC LIMIT 500) c`,
      [accountId],
    );
    return rows.map((r) => r.domain).filter((d) => d.length > 0);
  }
}
