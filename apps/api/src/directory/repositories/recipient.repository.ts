import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../../database/database.module.js';

export interface AddressLookup {
  /** The address's domain is one of ours. */
  domainExists: boolean;
  catchAll: string | null;
  /** The account with exactly this address, if any. */
  account: { id: string; disabled: boolean; overQuota: boolean } | null;
  /** Alias destinations of exactly this address, each with its local account if it has one. */
  aliases: { destination: string; account: { id: string; disabled: boolean; overQuota: boolean } | null; destinationDomainIsLocal: boolean }[];
}

/**
 * Recipient lookups on the SMTP hot path (one per RCPT): one round trip of hand-written SQL,
 * instead of several ORM queries, answers the domain, the account, its quota state and any alias
 * expansion at once. Reads the directory's own tables (domains, accounts, aliases).
 */
@Injectable()
export class RecipientRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DB_FEATURES) private readonly features: DbFeatures,
  ) {}

  async lookup(address: string, domain: string): Promise<AddressLookup> {
    const { rows } = await this.pool.query<{
      domain_exists: boolean;
      catch_all: string | null;
      account: AddressLookup['account'];
      aliases: AddressLookup['aliases'] | null;
    }>({
      name: this.features.preparedStatements ? 'correio-lookup-address' : undefined,
      text: `SELECT d.id IS NOT NULL AS domain_exists, d.catch_all,
              (SELECT json_build_object('id', a.id::text, 'disabled', a.disabled,
                        'overQuota', a.quota_bytes > 0 AND a.used_bytes >= a.quota_bytes)
                 FROM accounts a WHERE a.address = $1) AS account,
              (SELECT json_agg(json_build_object(
                        'destination', al.destination,
                        'account', (SELECT json_build_object('id', t.id::text, 'disabled', t.disabled,
                                      'overQuota', t.quota_bytes > 0 AND t.used_bytes >= t.quota_bytes)
                                      FROM accounts t WHERE t.address = al.destination),
                        'destinationDomainIsLocal', EXISTS (SELECT 1 FROM domains dd
                                      WHERE dd.name = split_part(al.destination, '@', 2))))
                 FROM aliases al WHERE al.address = $1) AS aliases
         FROM (SELECT 1) one LEFT JOIN domains d ON d.name = $2`,
      values: [address, domain],
    });
    const r = rows[0]!;
    return { domainExists: r.domain_exists, catchAll: r.catch_all, account: r.account, aliases: r.aliases ?? [] };
  }
}
