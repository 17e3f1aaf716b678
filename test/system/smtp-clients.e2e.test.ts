import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ApiProcess, createTestDatabase, startApiProcess } from '@correio/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Real SMTP clients against the built service: swaks (Debian) and Python's smtplib, on the MX and
// on submission with STARTTLS (2587-style) and implicit TLS (2465-style).

const run = promisify(execFile);

describe('real SMTP clients', () => {
  let api: ApiProcess;
  let dir: string;
  let dbUrl: string;
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'correio-clients-'));
    const db = await createTestDatabase();
    drop = db.drop;
    dbUrl = db.url;
    api = await startApiProcess({
      DATABASE_URL: db.url,
      DATABASE_IS_PGLITE: db.kind === 'pglite' ? 'true' : 'false',
      CORREIO_DATA_DIR: dir,
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ADMIN_ADDRESS: 'joel@ifsc.edu',
      CORREIO_ADMIN_PASSWORD: 'joel-password',
    });
  });
  afterAll(async () => {
    await api?.stop();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function subjects(): Promise<string[]> {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      const { rows } = await c.query<{ subject: string }>('SELECT subject FROM messages ORDER BY id');
      return rows.map((r) => r.subject);
    } finally {
      await c.end();
    }
  }

  it('swaks delivers to the MX', async () => {
    const { stdout } = await run('swaks', ['--server', `127.0.0.1:${api.smtpPort}`, '--from', 'bruna@paulolopes.fr', '--to', 'joel@ifsc.edu', '--header', 'Subject: swaks mx', '--silent', '1']);
    expect(stdout).toBe('');
    expect(await subjects()).toContain('swaks mx');
  });

  it('swaks submits with STARTTLS + AUTH PLAIN, and with implicit TLS + AUTH LOGIN', async () => {
    await run('swaks', [
      '--server', `127.0.0.1:${api.submissionPort}`, '--tls', '--auth', 'PLAIN', '--auth-user', 'joel@ifsc.edu', '--auth-password', 'joel-password',
      '--from', 'joel@ifsc.edu', '--to', 'joel@ifsc.edu', '--header', 'Subject: swaks starttls', '--silent', '1',
    ]);
    await run('swaks', [
      '--server', `127.0.0.1:${api.submissionsPort}`, '--tls-on-connect', '--auth', 'LOGIN', '--auth-user', 'joel@ifsc.edu', '--auth-password', 'joel-password',
      '--from', 'joel@ifsc.edu', '--to', 'joel@ifsc.edu', '--header', 'Subject: swaks tls', '--silent', '1',
    ]);
    expect(await subjects()).toEqual(expect.arrayContaining(['swaks starttls', 'swaks tls']));
  });

  it('swaks is refused AUTH without TLS on the STARTTLS port', async () => {
    const r = await run('swaks', [
      '--server', `127.0.0.1:${api.submissionPort}`, '--auth', 'PLAIN', '--auth-user', 'joel@ifsc.edu', '--auth-password', 'joel-password',
      '--from', 'joel@ifsc.edu', '--to', 'joel@ifsc.edu', '--header', 'Subject: in the clear',
    ]).catch((e: { code: number; stdout: string }) => e);
    expect((r as { code?: number }).code).toBeGreaterThan(0); // swaks: the server did not offer AUTH
    expect(await subjects()).not.toContain('in the clear');
  });

  it("Python's smtplib delivers to the MX and submits over STARTTLS and implicit TLS", async () => {
    const script = `
import smtplib, ssl, sys
mx, sub, subs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
with smtplib.SMTP('127.0.0.1', mx) as s:
    s.sendmail('bruna@paulolopes.fr', ['joel@ifsc.edu'], b'Subject: python mx\\r\\n\\r\\nola\\r\\n')
with smtplib.SMTP('127.0.0.1', sub) as s:
    s.starttls(context=ctx); s.login('joel@ifsc.edu', 'joel-password')
    s.sendmail('joel@ifsc.edu', ['joel@ifsc.edu'], b'Subject: python starttls\\r\\n\\r\\nola\\r\\n')
with smtplib.SMTP_SSL('127.0.0.1', subs, context=ctx) as s:
    s.login('joel@ifsc.edu', 'joel-password')
    try:
        s.sendmail('ceo@elsewhere.example', ['joel@ifsc.edu'], b'Subject: spoof\\r\\n\\r\\nx\\r\\n')
        print('spoof accepted')
    except smtplib.SMTPSenderRefused as e:
        print('spoof refused', e.smtp_code, e.smtp_error.decode())
`;
    const { stdout } = await run('python3', ['-c', script, String(api.smtpPort), String(api.submissionPort), String(api.submissionsPort)]);
    expect(stdout.trim()).toMatch(/^spoof refused 553 5\.7\.1 /);
    expect(await subjects()).toEqual(expect.arrayContaining(['python mx', 'python starttls']));
  });
});
