import { createHash } from 'node:crypto';
import { CSRF_HEADER, SESSION_COOKIE } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Web sessions over real HTTP against a real database: cookie attributes, server-side logout,
// double-submit CSRF, and one answer for every kind of failed login (no account enumeration).
describe('auth: sessions, CSRF and login failures', () => {
  let t: TestApp;
  let anaId: string;

  const WRONG = { statusCode: 401, code: 'unauthenticated', message: 'wrong address or password' };

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    anaId = (await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password', displayName: 'Ana' })).id;
    await t.directory.addAccount({ address: 'bia@ifsc.edu', password: 'bia-password' });
    await t.directory.addAccount({ address: 'off@ifsc.edu', password: 'off-password' });
  });
  afterAll(() => t?.close());

  /** A request with exactly these headers (no client-side cookie jar), like a replayed cookie. */
  function raw(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Response> {
    return fetch(t.baseUrl + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  }

  function sessionCookieOf(res: Response): { value: string; attributes: string[] } {
    const header = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(header, 'a session Set-Cookie').toBeDefined();
    const [pair, ...attributes] = header!.split(';').map((s) => s.trim());
    return { value: pair!.slice(SESSION_COOKIE.length + 1), attributes };
  }

  describe('login and the session cookie', () => {
    it('logs in: 200 with the account and a CSRF token; HttpOnly, SameSite=Lax, Path=/ cookie', async () => {
      const res = await raw('POST', '/api/v1/auth/login', {}, { address: 'ana@ifsc.edu', password: 'ana-password' });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { account: unknown; csrfToken: string };
      expect(body.account).toEqual({ id: anaId, address: 'ana@ifsc.edu', displayName: 'Ana', role: 'user' });
      expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const cookie = sessionCookieOf(res);
      expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
      const attrs = cookie.attributes.map((a) => a.toLowerCase());
      expect(attrs).toContain('httponly');
      expect(attrs).toContain('samesite=lax');
      expect(attrs).toContain('path=/');
      expect(attrs).toContainEqual(expect.stringMatching(/^max-age=\d+$/));
      expect(attrs).not.toContain('secure'); // the web URL is http:// in tests
      // The database keeps only the token's SHA-256, never the token.
      const { rows } = await t.db.pool.query<{ token_hash: string; csrf_token: string }>(
        'SELECT token_hash, csrf_token FROM sessions WHERE account_id = $1 ORDER BY id DESC LIMIT 1',
        [anaId],
      );
      expect(rows[0]!.token_hash).toBe(createHash('sha256').update(cookie.value).digest('hex'));
      expect(rows[0]!.csrf_token).toBe(body.csrfToken);
      const leaked = await t.db.pool.query('SELECT 1 FROM sessions WHERE token_hash = $1', [cookie.value]);
      expect(leaked.rowCount).toBe(0);
    });

    it('accepts the address in any case and with surrounding spaces', async () => {
      const c = new HttpClient(t.baseUrl);
      expect((await c.login('  Ana@IFSC.edu ', 'ana-password')).status).toBe(200);
    });

    it('each login is its own session with its own tokens', async () => {
      const a = new HttpClient(t.baseUrl);
      const b = new HttpClient(t.baseUrl);
      await a.login('ana@ifsc.edu', 'ana-password');
      await b.login('ana@ifsc.edu', 'ana-password');
      expect(a.csrfToken).not.toBe(b.csrfToken);
    });

    it('answers 400 with details for a malformed login body', async () => {
      const res = await raw('POST', '/api/v1/auth/login', {}, { address: 'ana@ifsc.edu' });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { code: string; details: { path: string }[] };
      expect(body.code).toBe('invalid_input');
      expect(body.details.map((d) => d.path)).toContain('password');
    });
  });

  describe('/auth/me', () => {
    it('returns the account and the same CSRF token with a session', async () => {
      const c = new HttpClient(t.baseUrl);
      const login = (await (await c.login('ana@ifsc.edu', 'ana-password')).json()) as { csrfToken: string };
      const me = await c.json<{ account: { id: string; address: string }; csrfToken: string }>('GET', '/api/v1/auth/me');
      expect(me.account).toEqual({ id: anaId, address: 'ana@ifsc.edu', displayName: 'Ana', role: 'user' });
      expect(me.csrfToken).toBe(login.csrfToken);
    });

    it('is 401 with the error body without a cookie or with an unknown one', async () => {
      const cases: Record<string, string>[] = [{}, { cookie: `${SESSION_COOKIE}=not-a-session` }, { cookie: `${SESSION_COOKIE}=` }];
      for (const headers of cases) {
        const res = await raw('GET', '/api/v1/auth/me', headers);
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({ statusCode: 401, code: 'unauthenticated', message: 'not logged in' });
      }
    });

    it('is 401 once the session has expired', async () => {
      const res = await raw('POST', '/api/v1/auth/login', {}, { address: 'ana@ifsc.edu', password: 'ana-password' });
      const token = sessionCookieOf(res).value;
      const cookie = `${SESSION_COOKIE}=${token}`;
      expect((await raw('GET', '/api/v1/auth/me', { cookie })).status).toBe(200);
      const hash = createHash('sha256').update(token).digest('hex');
      await t.db.pool.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [hash]);
      expect((await raw('GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
    });

    it('needs no session on public routes', async () => {
      expect((await raw('GET', '/api/health')).status).toBe(200);
    });
  });

  describe('logout', () => {
    it('ends the session on the server: the old cookie is refused afterwards', async () => {
      const res = await raw('POST', '/api/v1/auth/login', {}, { address: 'ana@ifsc.edu', password: 'ana-password' });
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      const token = sessionCookieOf(res).value;
      const cookie = `${SESSION_COOKIE}=${token}`;
      expect((await raw('GET', '/api/v1/auth/me', { cookie })).status).toBe(200);

      const out = await raw('POST', '/api/v1/auth/logout', { cookie, [CSRF_HEADER]: csrfToken });
      expect(out.status).toBe(204);
      // The browser is told to drop the cookie...
      const cleared = sessionCookieOf(out);
      expect(cleared.value).toBe('');
      expect(cleared.attributes.map((a) => a.toLowerCase()).join(';')).toMatch(/max-age=0|expires=thu, 01 jan 1970/);
      // ...and a copy kept by anyone else is worthless: the session row is gone.
      const hash = createHash('sha256').update(token).digest('hex');
      expect((await t.db.pool.query('SELECT 1 FROM sessions WHERE token_hash = $1', [hash])).rowCount).toBe(0);
      const replay = await raw('GET', '/api/v1/auth/me', { cookie });
      expect(replay.status).toBe(401);
      expect((await raw('POST', '/api/v1/auth/logout', { cookie, [CSRF_HEADER]: csrfToken })).status).toBe(401);
    });

    it('ends only that session: another login of the same account stays valid', async () => {
      const a = new HttpClient(t.baseUrl);
      const b = new HttpClient(t.baseUrl);
      await a.login('ana@ifsc.edu', 'ana-password');
      await b.login('ana@ifsc.edu', 'ana-password');
      expect((await a.request('POST', '/api/v1/auth/logout')).status).toBe(204);
      expect((await a.request('GET', '/api/v1/auth/me')).status).toBe(401);
      expect((await b.request('GET', '/api/v1/auth/me')).status).toBe(200);
    });
  });

  describe('CSRF (double submit: X-CSRF-Token must equal the session token)', () => {
    let ana: { cookie: string; csrfToken: string };
    let bia: { cookie: string; csrfToken: string };

    beforeAll(async () => {
      const login = async (address: string, password: string) => {
        const res = await raw('POST', '/api/v1/auth/login', {}, { address, password });
        return {
          cookie: `${SESSION_COOKIE}=${sessionCookieOf(res).value}`,
          csrfToken: ((await res.json()) as { csrfToken: string }).csrfToken,
        };
      };
      ana = await login('ana@ifsc.edu', 'ana-password');
      bia = await login('bia@ifsc.edu', 'bia-password');
    });

    const stateChanging: [string, string, unknown][] = [
      ['POST', '/api/v1/auth/logout', undefined],
      ['PATCH', '/api/v1/messages/1', { seen: true }],
      ['POST', '/api/v1/messages/1/move', { mailboxId: '1' }],
      ['DELETE', '/api/v1/messages/1', undefined],
    ];

    it.each(stateChanging)('%s %s without the header → 403', async (method, path, body) => {
      const res = await raw(method, path, { cookie: ana.cookie }, body);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ statusCode: 403, code: 'forbidden', message: 'missing or wrong CSRF token' });
    });

    it.each(stateChanging)('%s %s with a wrong token, or another session’s token → 403', async (method, path, body) => {
      for (const token of ['wrong', `${ana.csrfToken}x`, ana.csrfToken.slice(1), bia.csrfToken]) {
        const res = await raw(method, path, { cookie: ana.cookie, [CSRF_HEADER]: token }, body);
        expect(res.status, token).toBe(403);
      }
    });

    it('the refused logout did not end the session; GET needs no token', async () => {
      expect((await raw('GET', '/api/v1/auth/me', { cookie: ana.cookie })).status).toBe(200);
      expect((await raw('GET', '/api/v1/mailboxes', { cookie: ana.cookie })).status).toBe(200);
    });

    it('with the right token the request goes through (here: 404 for a message that does not exist)', async () => {
      const res = await raw('PATCH', '/api/v1/messages/999999', { cookie: ana.cookie, [CSRF_HEADER]: ana.csrfToken }, { seen: true });
      expect(res.status).toBe(404);
    });

    it('without a session a state-changing request is 401, not 403', async () => {
      expect((await raw('PATCH', '/api/v1/messages/1', { [CSRF_HEADER]: ana.csrfToken }, { seen: true })).status).toBe(401);
    });
  });

  // Last: failed logins slow down further logins from this address (login-throttle.ts).
  describe('failed logins all look the same', () => {
    it('wrong password → 401 with the error body and no cookie', async () => {
      const res = await raw('POST', '/api/v1/auth/login', {}, { address: 'ana@ifsc.edu', password: 'bia-password' });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(WRONG);
      expect(res.headers.getSetCookie()).toEqual([]);
    });

    it("account B cannot log in with A's password", async () => {
      const res = await raw('POST', '/api/v1/auth/login', {}, { address: 'bia@ifsc.edu', password: 'ana-password' });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(WRONG);
    });

    it('unknown account → the same 401', async () => {
      const res = await raw('POST', '/api/v1/auth/login', {}, { address: 'nobody@ifsc.edu', password: 'ana-password' });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(WRONG);
    });

    it('disabled account with its right password → the same 401; its open sessions stop working', async () => {
      const before = await raw('POST', '/api/v1/auth/login', {}, { address: 'off@ifsc.edu', password: 'off-password' });
      expect(before.status).toBe(200);
      const cookie = `${SESSION_COOKIE}=${sessionCookieOf(before).value}`;
      // No directory use-case disables an account yet; the admin would flip this column.
      await t.db.pool.query("UPDATE accounts SET disabled = true WHERE address = 'off@ifsc.edu'");
      const res = await raw('POST', '/api/v1/auth/login', {}, { address: 'off@ifsc.edu', password: 'off-password' });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(WRONG);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect((await raw('GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
    });

    it("a successful login does not reset the client address's throttle", async () => {
      // Four failures from 127.0.0.1 so far in this block, with a success in between: the next
      // login from here waits 1 s (login-throttle.ts), even for a right password of a fresh account.
      const started = Date.now();
      const res = await raw('POST', '/api/v1/auth/login', {}, { address: 'bia@ifsc.edu', password: 'bia-password' });
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });
  });
});
