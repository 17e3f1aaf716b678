import { LOGIN_CHALLENGE_COOKIE } from '@correio/contracts';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Two-factor login over real HTTP against a real database (issue 15): set-up confirmed by a code,
// the login's second step with a TOTP code (once per time step) or a recovery code (once each),
// wrong codes ending the challenge, turning it off; and the account's own sessions and password.

/** The TOTP code `steps` periods from now (RFC 6238: 30 s steps). */
const codeAt = (secret: string, steps = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/**
 * Each describe has its own app: the login throttle counts failures per client address, and every
 * test client is 127.0.0.1, so the tests that fail on purpose must not slow the others down.
 */
function useApp() {
  let t!: TestApp;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
  });
  afterAll(() => t?.close());

  async function account(password = 'account-password'): Promise<{ user: string; web: HttpClient }> {
    const user = `pessoa${++n}@ifsc.edu`;
    await t.directory.addAccount({ address: user, password, displayName: 'Pessoa' });
    const web = new HttpClient(t.baseUrl, 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0');
    expect((await web.login(user, password)).status).toBe(200);
    return { user, web };
  }

  async function enable(web: HttpClient): Promise<{ secret: string; recoveryCodes: string[] }> {
    const setup = await web.json<{ secret: string; otpauthUri: string; qrCodeSvgDataUrl: string }>(
      'POST',
      '/api/v1/account/two-factor/totp',
    );
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(setup.qrCodeSvgDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(setup.qrCodeSvgDataUrl.split(',')[1]!, 'base64').toString()).toContain('<svg');
    const { recoveryCodes } = await web.json<{ recoveryCodes: string[] }>('POST', '/api/v1/account/two-factor/totp/confirm', {
      code: codeAt(setup.secret),
    });
    return { secret: setup.secret, recoveryCodes };
  }

  /** The password step of a fresh browser: its answer and the client holding the challenge cookie. */
  async function passwordStep(user: string, password = 'account-password'): Promise<{ c: HttpClient; res: Response }> {
    const c = new HttpClient(t.baseUrl);
    return { c, res: await c.login(user, password) };
  }

  return { t: () => t, account, enable, passwordStep };
}

describe('two-factor login, sessions and password change', () => {
  const app = useApp();
  const { account, enable, passwordStep } = app;

  it('stays off until a first code confirms the secret; then answers ten single-use recovery codes', async () => {
    const { web } = await account();
    expect(await web.json('GET', '/api/v1/account/two-factor')).toEqual({ isEnabled: false, recoveryCodesLeft: 0 });
    const setup = await web.json<{ secret: string }>('POST', '/api/v1/account/two-factor/totp');
    const wrong = await web.request('POST', '/api/v1/account/two-factor/totp/confirm', {
      code: '000000' === codeAt(setup.secret) ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect(await web.json('GET', '/api/v1/account/two-factor')).toEqual({ isEnabled: false, recoveryCodesLeft: 0 });
    const { recoveryCodes } = await web.json<{ recoveryCodes: string[] }>('POST', '/api/v1/account/two-factor/totp/confirm', {
      code: codeAt(setup.secret),
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(await web.json('GET', '/api/v1/account/two-factor')).toEqual({ isEnabled: true, recoveryCodesLeft: 10 });
    // Only hashes are stored; a second set-up while on is refused.
    const { rows } = await app.t().db.pool.query<{ code_hash: string }>('SELECT code_hash FROM recovery_codes');
    expect(rows.map((r) => r.code_hash).join()).not.toContain(recoveryCodes[0]!);
    expect((await web.request('POST', '/api/v1/account/two-factor/totp')).status).toBe(409);
  });

  it('login: the password alone gives no session; a TOTP code does, once; a recovery code does, once', async () => {
    const { user, web } = await account();
    const { secret, recoveryCodes } = await enable(web);

    const first = await passwordStep(user);
    expect(first.res.status).toBe(200);
    expect(await first.res.json()).toEqual({ secondFactorRequired: true, methods: ['totp', 'recovery'] });
    expect(first.res.headers.getSetCookie().some((c) => c.startsWith(`${LOGIN_CHALLENGE_COOKIE}=`))).toBe(true);
    expect(first.res.headers.getSetCookie().some((c) => c.startsWith('correio_session='))).toBe(false);
    expect((await first.c.request('GET', '/api/v1/auth/me')).status).toBe(401);
    // The set-up claimed the current step: the next one logs in (and cannot be replayed).
    const next = codeAt(secret, 1);
    const ok = await first.c.request('POST', '/api/v1/auth/login/second-factor', { code: next });
    expect(ok.status).toBe(200);
    first.c.csrfToken = ((await ok.json()) as { csrfToken: string }).csrfToken;
    expect((await first.c.request('GET', '/api/v1/auth/me')).status).toBe(200);
    const replay = await passwordStep(user);
    expect((await replay.c.request('POST', '/api/v1/auth/login/second-factor', { code: next })).status).toBe(401);

    const withRecovery = await passwordStep(user);
    expect(
      (await withRecovery.c.request('POST', '/api/v1/auth/login/second-factor', { code: recoveryCodes[3]!.toUpperCase() })).status,
    ).toBe(200);
    expect(await web.json('GET', '/api/v1/account/two-factor')).toEqual({ isEnabled: true, recoveryCodesLeft: 9 });
    const again = await passwordStep(user);
    const reused = await again.c.request('POST', '/api/v1/auth/login/second-factor', { code: recoveryCodes[3]! });
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { message: string }).message).toBe('wrong code');
  });

  it('new recovery codes and turning it off need the password (and a code); then the password alone logs in', async () => {
    const { user, web } = await account();
    const { recoveryCodes } = await enable(web);
    expect((await web.request('POST', '/api/v1/account/two-factor/recovery-codes', { password: 'nope' })).status).toBe(400);
    const renewed = await web.json<{ recoveryCodes: string[] }>('POST', '/api/v1/account/two-factor/recovery-codes', {
      password: 'account-password',
    });
    expect(renewed.recoveryCodes).toHaveLength(10);
    // The old set no longer works.
    const old = await passwordStep(user);
    expect((await old.c.request('POST', '/api/v1/auth/login/second-factor', { code: recoveryCodes[0]! })).status).toBe(401);
    expect((await web.request('POST', '/api/v1/account/two-factor/disable', { password: 'account-password', code: '000000' })).status).toBe(
      400,
    );
    expect(
      (await web.request('POST', '/api/v1/account/two-factor/disable', { password: 'wrong', code: renewed.recoveryCodes[0] })).status,
    ).toBe(400);
    expect(
      await web.json('POST', '/api/v1/account/two-factor/disable', { password: 'account-password', code: renewed.recoveryCodes[1] }),
    ).toEqual({
      isEnabled: false,
      recoveryCodesLeft: 0,
    });
    const plain = await passwordStep(user);
    expect(((await plain.res.json()) as { csrfToken?: string }).csrfToken).toBeDefined();
  });

  it('lists the sessions (device, IP, last seen, this one marked); signs one out, then all others', async () => {
    const { user, web } = await account();
    const phone = new HttpClient(
      app.t().baseUrl,
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    );
    const laptop = new HttpClient(app.t().baseUrl);
    await phone.login(user, 'account-password');
    await laptop.login(user, 'account-password');
    const { sessions } = await web.json<{ sessions: { id: string; device: string; ip: string; isCurrent: boolean; lastSeenAt: string }[] }>(
      'GET',
      '/api/v1/account/sessions',
    );
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.isCurrent).map((s) => s.device)).toEqual(['Firefox on Linux']);
    expect(sessions.map((s) => s.device)).toContain('Safari on iOS');
    expect(sessions.every((s) => s.ip === '127.0.0.1' && !Number.isNaN(Date.parse(s.lastSeenAt)))).toBe(true);

    const phoneSession = sessions.find((s) => s.device === 'Safari on iOS')!;
    const other = await account();
    expect((await other.web.request('DELETE', `/api/v1/account/sessions/${phoneSession.id}`)).status).toBe(404);
    expect((await phone.request('GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await web.request('DELETE', `/api/v1/account/sessions/${phoneSession.id}`)).status).toBe(204);
    expect((await phone.request('GET', '/api/v1/auth/me')).status).toBe(401);

    expect(await web.json('POST', '/api/v1/account/sessions/sign-out-others')).toEqual({ signedOut: 1 });
    expect((await laptop.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await web.request('GET', '/api/v1/auth/me')).status).toBe(200);
  });

  it('password change: the current one required; other sessions signed out, this one kept; the new one logs in', async () => {
    const { user, web } = await account();
    const other = new HttpClient(app.t().baseUrl);
    await other.login(user, 'account-password');
    const wrong = await web.request('POST', '/api/v1/account/password', { currentPassword: 'nope', newPassword: 'brand-new-password' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toBe('the current password is not right');
    expect(
      (await web.request('POST', '/api/v1/account/password', { currentPassword: 'account-password', newPassword: 'short' })).status,
    ).toBe(400);
    expect((await other.request('GET', '/api/v1/auth/me')).status).toBe(200);

    expect(
      await web.json('POST', '/api/v1/account/password', { currentPassword: 'account-password', newPassword: 'brand-new-password' }),
    ).toEqual({
      otherSessionsSignedOut: 1,
    });
    expect((await other.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await web.request('GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await new HttpClient(app.t().baseUrl).login(user, 'account-password')).status).toBe(401);
    expect((await new HttpClient(app.t().baseUrl).login(user, 'brand-new-password')).status).toBe(200);
  });

  it('profile: the display name changes what compose sends as', async () => {
    const { web } = await account();
    expect(await web.json('PATCH', '/api/v1/account/profile', { displayName: '  Pessoa Nova ' })).toMatchObject({
      displayName: 'Pessoa Nova',
    });
    const settings = await web.json<{ identities: { name: string }[] }>('GET', '/api/v1/compose/settings');
    expect(settings.identities[0]!.name).toBe('Pessoa Nova');
    expect((await web.json<{ account: { displayName: string } }>('GET', '/api/v1/auth/me')).account.displayName).toBe('Pessoa Nova');
  });
});

describe('two-factor login: wrong codes and passwords', () => {
  const app = useApp();
  const { account, enable, passwordStep } = app;

  it('a wrong password never reaches the second step; a missing or used challenge is refused', async () => {
    const { user, web } = await account();
    await enable(web);
    const bad = await passwordStep(user, 'wrong-password');
    expect(bad.res.status).toBe(401);
    expect((await bad.c.request('POST', '/api/v1/auth/login/second-factor', { code: '123456' })).status).toBe(401);
    const none = new HttpClient(app.t().baseUrl);
    const res = await none.request('POST', '/api/v1/auth/login/second-factor', { code: '123456' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toBe('the sign-in expired; enter your password again');
  });

  it('five wrong codes end the challenge (throttled meanwhile); the password step starts over', async () => {
    const { user, web } = await account();
    const { recoveryCodes } = await enable(web);
    const { c } = await passwordStep(user);
    const started = Date.now();
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await c.request('POST', '/api/v1/auth/login/second-factor', { code: `wrong-${i}` });
      answers.push(`${res.status} ${((await res.json()) as { message: string }).message}`);
    }
    // Free 3 failures, then 0.5 s and 1 s of delay (LoginThrottle) before the 4th and 5th.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(answers).toEqual([...Array(4).fill('401 wrong code'), '401 too many wrong codes; enter your password again']);
    // Even a right code cannot use that challenge now.
    expect((await c.request('POST', '/api/v1/auth/login/second-factor', { code: recoveryCodes[0]! })).status).toBe(401);
    const fresh = await passwordStep(user);
    expect((await fresh.c.request('POST', '/api/v1/auth/login/second-factor', { code: recoveryCodes[0]! })).status).toBe(200);
  });

  it('wrong current passwords slow down: a stolen session is no fast password oracle', async () => {
    const { web } = await account();
    const took: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await web.request('POST', '/api/v1/account/password', {
        currentPassword: `wrong-${i}`,
        newPassword: 'brand-new-password',
      });
      expect(res.status).toBe(400);
      took.push(Date.now() - started);
    }
    // Free 3, then 0.5 s and 1 s (LoginThrottle); the right password still works after the wait.
    expect(took[3]).toBeGreaterThanOrEqual(450);
    expect(took[4]).toBeGreaterThanOrEqual(950);
    expect(
      (await web.request('POST', '/api/v1/account/password', { currentPassword: 'account-password', newPassword: 'brand-new-password' }))
        .status,
    ).toBe(200);
  });
});
