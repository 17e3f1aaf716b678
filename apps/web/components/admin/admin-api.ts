/**
 * The admin pages' client for the public admin REST API (/api/v1/admin/*, OpenAPI-documented). The
 * same path as the webmail's lib/api.ts: same-origin fetch with the session cookie, the CSRF token
 * lib/api.ts keeps (set by api.me()), error bodies turned into ApiError, answers parsed with the
 * shared zod schemas.
 */
import {
  AdminAccount,
  AdminAccountList,
  AdminAlias,
  AdminOverview,
  AliasList,
  AuditList,
  type CreateAccountRequest,
  CreateAccountResult,
  DomainDnsCheck,
  DomainDnsRecords,
  DomainSummaryList,
  QueueActionResult,
  QueueAttemptList,
  QueueEntryDetail,
  QueueEntryList,
  ResetPasswordResult,
  type UpdateAccountRequest,
} from '@correio/contracts';
import { csrfHeaders, toApiError } from '@/lib/api';

export { formatBytes, parseQuota } from '@/lib/admin-format';

const BASE = '/api/v1/admin';
const enc = encodeURIComponent;

interface Schema<T> {
  parse(input: unknown): T;
}

async function call<T>(method: string, path: string, schema: Schema<T> | null, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(method === 'GET' ? {} : csrfHeaders()) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  if (!res.ok) throw await toApiError(res);
  if (schema === null || res.status === 204) return undefined as T;
  return schema.parse(await res.json());
}

function query(params: Record<string, string | number | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

export type QueueFilter = { state?: string; domain?: string; sender?: string };

export const adminApi = {
  overview: (signal?: AbortSignal) => call('GET', '/overview', AdminOverview, undefined, signal),

  domains: (signal?: AbortSignal) => call('GET', '/domains', DomainSummaryList, undefined, signal),
  addDomain: (name: string) => call('POST', '/domains', null, { name }),
  removeDomain: (name: string) => call<void>('DELETE', `/domains/${enc(name)}`, null),
  setCatchAll: (name: string, address: string | null) => call<void>('PUT', `/domains/${enc(name)}/catch-all`, null, { address }),
  dnsRecords: (name: string, signal?: AbortSignal) => call('GET', `/domains/${enc(name)}/dns`, DomainDnsRecords, undefined, signal),
  dnsCheck: (name: string, signal?: AbortSignal) => call('GET', `/domains/${enc(name)}/dns/check`, DomainDnsCheck, undefined, signal),
  rotateDkim: (name: string) => call('POST', `/domains/${enc(name)}/dkim/rotate`, DomainDnsRecords, {}),
  retireDkim: (name: string) => call('POST', `/domains/${enc(name)}/dkim/retire`, DomainDnsRecords, {}),

  accounts: (q: { q?: string; cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
    call('GET', `/accounts${query({ q: q.q, cursor: q.cursor, limit: q.limit ?? 25 })}`, AdminAccountList, undefined, signal),
  createAccount: (req: CreateAccountRequest) => call('POST', '/accounts', CreateAccountResult, req),
  updateAccount: (address: string, patch: UpdateAccountRequest) => call('PATCH', `/accounts/${enc(address)}`, AdminAccount, patch),
  resetPassword: (address: string, password?: string) =>
    call('POST', `/accounts/${enc(address)}/password`, ResetPasswordResult, password ? { password } : {}),
  deleteAccount: (address: string) => call('DELETE', `/accounts/${enc(address)}`, AdminAccount),

  aliases: (signal?: AbortSignal) => call('GET', '/aliases', AliasList, undefined, signal),
  createAlias: (address: string, destinations: string[]) => call('POST', '/aliases', AdminAlias, { address, destinations }),
  replaceAlias: (address: string, destinations: string[]) => call('PUT', `/aliases/${enc(address)}`, AdminAlias, { destinations }),
  removeAlias: (address: string) => call<void>('DELETE', `/aliases/${enc(address)}`, null),

  queue: (f: QueueFilter & { cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
    call('GET', `/queue${query({ ...f, limit: f.limit ?? 50 })}`, QueueEntryList, undefined, signal),
  queueEntry: (id: string, signal?: AbortSignal) => call('GET', `/queue/${enc(id)}`, QueueEntryDetail, undefined, signal),
  queueAttempts: (id: string, recipientId: string, signal?: AbortSignal) =>
    call('GET', `/queue/${enc(id)}/recipients/${enc(recipientId)}/attempts`, QueueAttemptList, undefined, signal),
  queueAction: (id: string, action: 'retry' | 'hold' | 'release') => call('POST', `/queue/${enc(id)}/${action}`, QueueActionResult, {}),
  queueDelete: (id: string) => call<void>('DELETE', `/queue/${enc(id)}`, null),

  audit: (f: { actor?: string; action?: string; cursor?: string | null }, signal?: AbortSignal) =>
    call('GET', `/audit${query({ ...f, limit: 50 })}`, AuditList, undefined, signal),
};

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : 'Something went wrong.';
}

export function formatWhen(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}
