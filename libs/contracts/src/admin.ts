import { z } from 'zod';

/**
 * Issue 14, admin API:
 *   GET /api/v1/admin/audit?actor&action&cursor&limit → AuditList (newest first)
 */

export const AuditListQuery = z.strictObject({
  /** Actor address, exactly (case-insensitive). */
  actor: z.string().min(1).max(320).optional(),
  /** Action name, exactly (e.g. "account.create", "queue.hold"). */
  action: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** nextCursor of the previous page. */
  cursor: z.string().regex(/^[1-9]\d{0,18}$/).optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditEntry = z.object({
  id: z.string(),
  actorId: z.string().nullable(),
  actorAddress: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  at: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditList = z.object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditList = z.infer<typeof AuditList>;

/**
 *   POST   /api/v1/admin/domains                 CreateDomainRequest → { id, name } (201)
 *   DELETE /api/v1/admin/domains/:name           → 204 (409 while it has accounts)
 *   PUT    /api/v1/admin/domains/:name/catch-all SetCatchAllRequest → 204
 */
export const CreateDomainRequest = z.strictObject({ name: z.string().min(1).max(253) });
export type CreateDomainRequest = z.infer<typeof CreateDomainRequest>;

export const SetCatchAllRequest = z.strictObject({ address: z.string().min(3).max(320).nullable() });
export type SetCatchAllRequest = z.infer<typeof SetCatchAllRequest>;
