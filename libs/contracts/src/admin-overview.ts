import { z } from 'zod';

/**
 * Issue 14, the admin dashboard's read-only views:
 *   GET /api/v1/admin/overview                 → AdminOverview
 *   GET /api/v1/admin/domains/:name/dns        → DomainDnsRecords (what to publish)
 *   GET /api/v1/admin/domains/:name/dns/check  → DomainDnsCheck (what DNS answers now)
 *   POST /api/v1/admin/domains/:name/dkim/rotate → DomainDnsRecords (new selectors, old still published)
 */

export const TrafficCounts = z.object({
  received: z.number().int(),
  sent: z.number().int(),
  deferred: z.number().int(),
  bounced: z.number().int(),
});
export type TrafficCounts = z.infer<typeof TrafficCounts>;

/** One bucket of the charts: an hour (last 24 h) or a day (last 30 days), starting at `at`. */
export const TrafficPoint = TrafficCounts.extend({ at: z.string() });
export type TrafficPoint = z.infer<typeof TrafficPoint>;

export const RoleState = z.object({
  role: z.enum(['smtp', 'submission', 'imap', 'pop3', 'delivery', 'database']),
  /** Where it answers (host:port), or what it uses. */
  address: z.string(),
  state: z.enum(['up', 'down', 'off']),
  detail: z.string(),
});
export type RoleState = z.infer<typeof RoleState>;

export const AdminOverview = z.object({
  generatedAt: z.string(),
  traffic: z.object({
    hourly: z.array(TrafficPoint),
    daily: z.array(TrafficPoint),
    last24h: TrafficCounts,
    last30d: TrafficCounts,
  }),
  queue: z.object({ depth: z.number().int(), oldestAt: z.string().nullable() }),
  storage: z.array(z.object({ domain: z.string(), accounts: z.number().int(), usedBytes: z.string() })),
  nearQuota: z.array(z.object({ address: z.string(), usedBytes: z.string(), quotaBytes: z.string() })),
  /**
   * Failed logins on every protocol in the current hour and the 23 before it, from every process
   * (each writes its count every 30 s; this process's are counted at once).
   */
  failedLogins: z.number().int(),
  roles: z.array(RoleState),
});
export type AdminOverview = z.infer<typeof AdminOverview>;

export const DomainSummary = z.object({
  name: z.string(),
  accounts: z.number().int(),
  aliases: z.number().int(),
  catchAll: z.string().nullable(),
});
export type DomainSummary = z.infer<typeof DomainSummary>;
export const DomainSummaryList = z.array(DomainSummary);

export const DnsRecordView = z.object({
  name: z.string(),
  type: z.enum(['MX', 'TXT', 'SRV', 'CNAME']),
  value: z.string(),
  /** The record as a zone-file line. */
  zone: z.string(),
  purpose: z.string(),
  /** Optional records (MTA-STS, TLS-RPT, client discovery SRV) work without; the rest are needed. */
  optional: z.boolean().default(false),
});
export type DnsRecordView = z.infer<typeof DnsRecordView>;

export const DomainDnsRecords = z.object({ domain: z.string(), records: z.array(DnsRecordView) });
export type DomainDnsRecords = z.infer<typeof DomainDnsRecords>;

export const DnsCheckResult = DnsRecordView.extend({
  status: z.enum(['published', 'missing', 'different']),
  /** What DNS answers now for this name and type (empty when nothing). */
  found: z.array(z.string()),
  /** The fix in plain words; empty when published. */
  fix: z.string(),
});
export type DnsCheckResult = z.infer<typeof DnsCheckResult>;

export const DomainDnsCheck = z.object({ domain: z.string(), checkedAt: z.string(), records: z.array(DnsCheckResult) });
export type DomainDnsCheck = z.infer<typeof DomainDnsCheck>;
