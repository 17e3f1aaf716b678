/**
 * A person's REST session from the test process (not the browser): log in, then read what the
 * service holds — mailboxes, messages, raw bytes — to check what the browser did, the way an
 * integrator would see it.
 */
import { CSRF_HEADER, SESSION_COOKIE } from '@correio/contracts';
import type { Person } from './web-stack';

export interface RestSession {
  get<T = unknown>(path: string): Promise<T>;
  send<T = unknown>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  raw(path: string): Promise<Buffer>;
  /** Messages of the mailbox with this special use (inbox, sent, drafts…), newest first. */
  list(specialUse: string): Promise<{ id: string; subject: string; answered: boolean; seen: boolean }[]>;
}

export async function restSession(apiOrigin: string, who: Person): Promise<RestSession> {
  const res = await fetch(`${apiOrigin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address: who.address, password: who.password }),
  });
  if (!res.ok) throw new Error(`login ${who.address}: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = (res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '').split(';')[0] ?? '';
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const headers: Record<string, string> = { cookie, accept: 'application/json' };
    if (method !== 'GET') headers[CSRF_HEADER] = csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${apiOrigin}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r;
  };
  const session: RestSession = {
    async get<T>(path: string) {
      return (await (await call('GET', path)).json()) as T;
    },
    async send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown) {
      const r = await call(method, path, body);
      return (r.status === 204 ? undefined : await r.json()) as T;
    },
    async raw(path: string) {
      return Buffer.from(await (await call('GET', path)).arrayBuffer());
    },
    async list(specialUse: string) {
      const boxes = await session.get<{ items: { id: string; specialUse: string | null }[] }>('/mailboxes');
      const box = boxes.items.find((b) => b.specialUse === specialUse);
      if (!box) throw new Error(`no ${specialUse} mailbox`);
      const page = await session.get<{ items: { id: string; subject: string; answered: boolean; seen: boolean }[] }>(
        `/mailboxes/${box.id}/messages?limit=200`,
      );
      return page.items;
    },
  };
  return session;
}
