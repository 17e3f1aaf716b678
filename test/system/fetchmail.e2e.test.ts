import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ApiProcess, SmtpTranscript, createTestDatabase, startApiProcess } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// fetchmail (Debian) downloading over POP3 with STLS into an MDA, in keep mode (messages stay, a
// second run fetches nothing new thanks to UIDL) and in no-keep mode (downloaded messages are
// deleted at QUIT and gone from the INBOX).

const run = promisify(execFile);

describe('fetchmail against the POP3 server', () => {
  let api: ApiProcess;
  let dir: string;
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'correio-fetchmail-'));
    const db = await createTestDatabase();
    drop = db.drop;
    api = await startApiProcess({
      DATABASE_URL: db.url,
      DATABASE_IS_PGLITE: db.kind === 'pglite' ? 'true' : 'false',
      CORREIO_DATA_DIR: path.join(dir, 'data'),
      CORREIO_ROLES: 'http,smtp,pop3',
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ADMIN_ADDRESS: 'joel@ifsc.edu',
      CORREIO_ADMIN_PASSWORD: 'joel-password',
    });
    for (const n of [1, 2, 3]) {
      const s = await SmtpTranscript.connect(api.smtpPort);
      await s.read();
      await s.command('EHLO fetch.test');
      await s.command('MAIL FROM:<bruna@paulolopes.fr>');
      await s.command('RCPT TO:<joel@ifsc.edu>');
      await s.command('DATA');
      s.write(`Subject: message ${n}\r\nMessage-ID: <m${n}@paulolopes.fr>\r\n\r\nbody of message ${n}\r\n`);
      await s.command('.');
      s.close();
    }
  });
  afterAll(async () => {
    await api?.stop();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function fetchmail(mode: 'keep' | 'nokeep', out: string): Promise<string[]> {
    mkdirSync(out, { recursive: true });
    const rc = path.join(dir, `fetchmailrc-${mode}`);
    writeFileSync(
      rc,
      [
        'set no bouncemail',
        `poll 127.0.0.1 protocol POP3 port ${api.pop3Port} timeout 30 uidl`,
        `  user "joel@ifsc.edu" there with password "joel-password" is root here`,
        // STLS required (TLS 1.2+); our development certificate is self-signed.
        "  sslproto 'TLS1.2+' no sslcertck",
        `  mda "/bin/sh -c 'cat > ${out}/msg-$$-$(date +%s%N)'"`,
        // no keep + fetchall: take everything, seen before or not, and delete it at QUIT.
        `  ${mode === 'keep' ? 'keep' : 'no keep fetchall'} no rewrite`,
        '',
      ].join('\n'),
    );
    chmodSync(rc, 0o600);
    const r = await run('fetchmail', ['-f', rc, '-i', path.join(dir, 'fetchids'), '--nosyslog', '-v'], { timeout: 60_000 }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    // Exit 0: mail retrieved; 1: no new mail. Anything else is a failure.
    const code = (r as { code?: number }).code ?? 0;
    expect([0, 1], `${(r as { stdout?: string }).stdout}\n${(r as { stderr?: string }).stderr}`).toContain(code);
    return readdirSync(out).map((f) => readFileSync(path.join(out, f), 'utf8'));
  }

  async function inboxCount(): Promise<number> {
    const login = await fetch(`http://127.0.0.1:${api.httpPort}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: 'joel@ifsc.edu', password: 'joel-password' }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const boxes = (await (await fetch(`http://127.0.0.1:${api.httpPort}/api/v1/mailboxes`, { headers: { cookie } })).json()) as {
      items: { specialUse: string; total: number }[];
    };
    return boxes.items.find((b) => b.specialUse === 'inbox')!.total;
  }

  it('keep mode: downloads every message, leaves them, and fetches nothing new the second time', async () => {
    const first = await fetchmail('keep', path.join(dir, 'keep1'));
    expect(first).toHaveLength(3);
    for (const n of [1, 2, 3]) expect(first.some((m) => m.includes(`Subject: message ${n}`) && m.includes(`body of message ${n}`))).toBe(true);
    expect(await inboxCount()).toBe(3);
    const second = await fetchmail('keep', path.join(dir, 'keep2'));
    expect(second).toHaveLength(0);
  });

  it('no-keep mode: downloads and deletes, and the INBOX is empty afterwards', async () => {
    const got = await fetchmail('nokeep', path.join(dir, 'nokeep'));
    expect(got).toHaveLength(3);
    expect(await inboxCount()).toBe(0);
    expect(await fetchmail('nokeep', path.join(dir, 'nokeep2'))).toHaveLength(0);
  });
});
