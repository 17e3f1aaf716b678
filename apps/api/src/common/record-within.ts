import type { PoolClient } from '@correio/db';

/**
 * Work a caller adds to a service's own transaction, run after the service's writes and before its
 * COMMIT (an admin action's audit entry: admin/audit/audit-trail.ts). Its failure rolls the whole
 * transaction back, so the change and what the caller wrote about it commit together or not at
 * all; a change that fails never reaches it. The same shape as SendService's `recordWithin`.
 */
export type RecordWithin = (tx: Pick<PoolClient, 'query'>) => Promise<void>;
