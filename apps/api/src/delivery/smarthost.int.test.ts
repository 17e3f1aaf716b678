import { freePort } from '@correio/testing';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { OutboundQueueService } from './outbound-queue.service.js';

// Relaying through an authenticated smarthost (a provider's submission port): a real SMTP server
// (smtp-server with onAuth) stands in for the provider.

interface Relayed {
  user: string | undefined;
  secure: boolean;
  from: string;
  to: string[];
}

async function startRelay(options: Partial<SMTPServerOptions>, state: { acceptAuth: boolean; relayed: Relayed[] }): Promise<{ port: number; close(): Promise<void> }> {
  const port = await freePort();
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    logger: false,
    ...options,
    onAuth(auth, _session, cb) {
      if (state.acceptAuth && auth.username === 'relay-user' && auth.password === 'relay-secret') return cb(null, { user: auth.username });
      cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        state.relayed.push({
          user: session.user as string | undefined,
          secure: session.secure,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('smarthost', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function app(env: Record<string, string>): Promise<{ t: TestApp; send(to: string): Promise<string>; state(id: string): Promise<{ state: string; last_reply: string }> }> {
    const t = await startTestApp({ CORREIO_ROLES: 'http,smtp,delivery', CORREIO_DOMAIN: 'paulolopes.fr', CORREIO_DELIVERY_RETRY_SCHEDULE: '1h', ...env });
    cleanups.push(() => t.close());
    const bruna = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' })).id;
    return {
      t,
      async send(to) {
        const client = await t.db.pool.connect();
        try {
          const raw = Buffer.from(`From: bruna@paulolopes.fr\r\nTo: ${to}\r\nSubject: via relay\r\n\r\nhi\r\n`);
          return await t.app.get(OutboundQueueService).enqueue(client, { accountId: bruna, raw, envelopeFrom: 'bruna@paulolopes.fr', recipients: [{ address: to }] });
        } finally {
          client.release();
        }
      },
      async state(id) {
        for (let i = 0; i < 100; i++) {
          const { rows } = await t.db.pool.query<{ state: string; last_reply: string }>('SELECT state, last_reply FROM outbound_recipients WHERE message_id = $1', [id]);
          if (rows[0] && rows[0].state !== 'queued') return rows[0];
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('never attempted');
      },
    };
  }

  it('logs in over STARTTLS and relays every remote domain; a refused login defers', async () => {
    const relay = { acceptAuth: true, relayed: [] as Relayed[] };
    const server = await startRelay({}, relay);
    cleanups.push(server.close);
    const a = await app({
      CORREIO_SMARTHOST: `127.0.0.1:${server.port}`,
      CORREIO_SMARTHOST_USER: 'relay-user',
      CORREIO_SMARTHOST_PASSWORD: 'relay-secret',
      CORREIO_SMARTHOST_TLS: 'required',
      CORREIO_SMARTHOST_TLS_VERIFY: 'false', // smtp-server's built-in self-signed certificate
    });
    expect((await a.state(await a.send('joel@ifsc.edu'))).state).toBe('delivered');
    expect(relay.relayed).toEqual([{ user: 'relay-user', secure: true, from: 'bruna@paulolopes.fr', to: ['joel@ifsc.edu'] }]);

    // The logged-in session is kept for reuse for 2 s of idleness; the next one logs in again.
    await new Promise((r) => setTimeout(r, 2_300));
    relay.acceptAuth = false;
    const refused = await a.state(await a.send('ana@example.org'));
    expect(refused.state).toBe('deferred');
    expect(refused.last_reply).toMatch(/^authentication to 127\.0\.0\.1:\d+ failed: 535 /);
    expect(relay.relayed).toHaveLength(1);
  });

  it('never sends the credentials without TLS, unless allowed for a loopback test relay', async () => {
    const relay = { acceptAuth: true, relayed: [] as Relayed[] };
    const server = await startRelay({ hideSTARTTLS: true, allowInsecureAuth: true }, relay);
    cleanups.push(server.close);
    const common = { CORREIO_SMARTHOST: `127.0.0.1:${server.port}`, CORREIO_SMARTHOST_USER: 'relay-user', CORREIO_SMARTHOST_PASSWORD: 'relay-secret', CORREIO_SMARTHOST_TLS: 'opportunistic' };
    const strict = await app(common);
    const r = await strict.state(await strict.send('joel@ifsc.edu'));
    expect(r).toMatchObject({ state: 'deferred' });
    expect(r.last_reply).toMatch(/refusing to send credentials .* without TLS/);
    expect(relay.relayed).toHaveLength(0);

    const lax = await app({ ...common, CORREIO_SMARTHOST_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true' });
    expect((await lax.state(await lax.send('joel@ifsc.edu'))).state).toBe('delivered');
    expect(relay.relayed).toEqual([{ user: 'relay-user', secure: false, from: 'bruna@paulolopes.fr', to: ['joel@ifsc.edu'] }]);
  });
});
