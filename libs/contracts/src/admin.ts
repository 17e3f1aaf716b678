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

/**
 * Accounts (issue 14):
 *   GET    /api/v1/admin/accounts?q&cursor&limit        → AdminAccountList (address order)
 *   POST   /api/v1/admin/accounts                       CreateAccountRequest → CreateAccountResult (201)
 *   GET    /api/v1/admin/accounts/:address              → AdminAccount
 *   PATCH  /api/v1/admin/accounts/:address              UpdateAccountRequest → AdminAccount
 *   POST   /api/v1/admin/accounts/:address/password     ResetPasswordRequest → ResetPasswordResult
 *   DELETE /api/v1/admin/accounts/:address              → AdminAccount (202; disabled now, mail deleted in the background)
 */
export const AccountListQuery = z.strictObject({
  /** Part of the address or display name. */
  q: z.string().min(1).max(320).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** nextCursor of the previous page (an address). */
  cursor: z.string().min(1).max(320).optional(),
});
export type AccountListQuery = z.infer<typeof AccountListQuery>;

export const AdminAccount = z.object({
  id: z.string(),
  address: z.string(),
  displayName: z.string(),
  role: z.enum(['admin', 'user']),
  /** Bytes, decimal strings (BIGINT); quota "0" = unlimited. */
  quotaBytes: z.string(),
  usedBytes: z.string(),
  disabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  /** Removal requested: the account is disabled and its mail is being deleted. */
  deletePending: z.boolean(),
});
export type AdminAccount = z.infer<typeof AdminAccount>;

export const AdminAccountList = z.object({ accounts: z.array(AdminAccount), nextCursor: z.string().nullable() });
export type AdminAccountList = z.infer<typeof AdminAccountList>;

const Password = z.string().min(8).max(1024);
const QuotaBytes = z.union([z.string().regex(/^\d{1,19}$/), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]);

export const CreateAccountRequest = z.strictObject({
  address: z.string().min(3).max(320),
  /** Omitted: a random password is generated and returned once in the answer. */
  password: Password.optional(),
  displayName: z.string().max(200).optional(),
  quotaBytes: QuotaBytes.optional(),
  role: z.enum(['admin', 'user']).optional(),
});
export type CreateAccountRequest = z.infer<typeof CreateAccountRequest>;

export const CreateAccountResult = z.object({
  account: AdminAccount,
  /** Only when the password was generated: shown once, never stored in clear. */
  generatedPassword: z.string().optional(),
});
export type CreateAccountResult = z.infer<typeof CreateAccountResult>;

export const UpdateAccountRequest = z.strictObject({
  displayName: z.string().max(200).optional(),
  quotaBytes: QuotaBytes.optional(),
  role: z.enum(['admin', 'user']).optional(),
  disabled: z.boolean().optional(),
});
export type UpdateAccountRequest = z.infer<typeof UpdateAccountRequest>;

export const ResetPasswordRequest = z.strictObject({ password: Password.optional() });
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>;
export const ResetPasswordResult = z.object({ generatedPassword: z.string().optional() });
export type ResetPasswordResult = z.infer<typeof ResetPasswordResult>;

/**
 * Aliases:
 *   GET    /api/v1/admin/aliases                       → AliasList
 *   POST   /api/v1/admin/aliases                       CreateAliasRequest → AdminAlias (201)
 *   PUT    /api/v1/admin/aliases/:address              ReplaceAliasRequest → AdminAlias (the destinations become exactly these)
 *   DELETE /api/v1/admin/aliases/:address?destination  → 204 (all destinations unless one is named)
 */
const Destinations = z.array(z.string().min(3).max(320)).min(1).max(100);
export const AdminAlias = z.object({ address: z.string(), destinations: z.array(z.string()) });
export type AdminAlias = z.infer<typeof AdminAlias>;
export const AliasList = z.object({ aliases: z.array(AdminAlias) });
export type AliasList = z.infer<typeof AliasList>;
export const CreateAliasRequest = z.strictObject({ address: z.string().min(3).max(320), destinations: Destinations });
export type CreateAliasRequest = z.infer<typeof CreateAliasRequest>;
export const ReplaceAliasRequest = z.strictObject({ destinations: Destinations });
export type ReplaceAliasRequest = z.infer<typeof ReplaceAliasRequest>;
export const RemoveAliasQuery = z.strictObject({ destination: z.string().min(3).max(320).optional() });
export type RemoveAliasQuery = z.infer<typeof RemoveAliasQuery>;
