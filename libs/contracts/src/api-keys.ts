import { z } from 'zod';

/**
 * API keys for programs (issue 13). A key is created from a logged-in webmail session only; its
 * secret (`cor_<prefix>_<secret>`) is in the 201 answer and nowhere else afterwards.
 *
 *   mail:read  — list, search, read, download
 *   mail:write — flags, keywords, moves, deletes, import, mailbox create/rename/delete
 *   mail:send  — submit mail
 *   admin      — the /api/v1/admin API (admin accounts only)
 */
export const API_KEY_SCOPES = ['mail:read', 'mail:write', 'mail:send', 'admin'] as const;
export const ApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

/** Every key starts with this, so secret scanners (and grep) find leaked keys. */
export const API_KEY_PREFIX = 'cor_';

export const CreateApiKeyRequest = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(ApiKeyScope)
    .min(1)
    .max(API_KEY_SCOPES.length)
    .refine((s) => new Set(s).size === s.length, 'scopes must not repeat'),
  /** When the key stops working (ISO 8601 with offset); absent or null: never. Must be in the future. */
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(ApiKeyScope),
  /** The public part of the key (`cor_<prefix>_…`), to recognise it in a list or a log. */
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  /** Updated at most once a minute per key. */
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

/** The answer to POST /api/v1/api-keys: the only time the secret `key` is shown. */
export const CreatedApiKey = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(ApiKeyScope),
  prefix: z.string(),
  key: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const ApiKeyList = z.object({ keys: z.array(ApiKeyView) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;
