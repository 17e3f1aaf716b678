import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { summarizeMessage } from '@correio/mime';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startPop3 } from '../testing/pop3-test-server.js';

// A real client: Python's poplib (as fetchmail-style downloaders use POP3), over STLS and implicit
// TLS. A message sent over SMTP submission downloads byte-identical (sha256 of the stored bytes),
// and after DELE + QUIT it is gone from the webmail's INBOX too.

const run = promisify(execFile);

const POPLIB = `
import hashlib, json, poplib, ssl, sys
mode, port, user, password, dele = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5] == '1'
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
if mode == 'stls':
    p = poplib.POP3('127.0.0.1', port, timeout=10); p.stls(context=ctx)
else:
    p = poplib.POP3_SSL('127.0.0.1', port, context=ctx, timeout=10)
caps = sorted(p.capa().keys())
p.user(user); p.pass_(password)
count, size = p.stat()
listing = [l.decode() for l in p.list()[1]]
uidl = [l.decode() for l in p.uidl()[1]]
hashes = []
for i in range(1, count + 1):
    resp, lines, octets = p.retr(i)
    hashes.append(hashlib.sha256(b'\\r\\n'.join(lines) + b'\\r\\n').hexdigest())
if dele:
    for i in range(1, count + 1): p.dele(i)
quit = p.quit().decode()
print(json.dumps({'caps': caps, 'count': count, 'size': size, 'list': listing, 'uidl': uidl, 'sha256': hashes, 'quit': quit}))
`;

interface PoplibResult {
  caps: string[];
  count: number;
  size: number;
  list: string[];
  uidl: string[];
  sha256: string[];
  quit: string;
}

describe('POP3 with Python poplib', () => {
  let t: TestApp;
  let pop: Awaited<ReturnType<typeof startPop3>>;
  let joel: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    // Real clients must use TLS here: no plaintext logins even on loopback.
    pop = await startPop3(t, { allowPlainAuthOnLoopback: false });
    await t.directory.addAccount({ address: 'bruna@ifsc.edu', password: 'bruna-password' });
    joel = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
    const smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: t.submissionPorts!.implicitTls,
      secure: true,
      auth: { user: 'bruna@ifsc.edu', pass: 'bruna-password' },
      tls: { rejectUnauthorized: false },
    });
    await smtp.sendMail({ from: 'bruna@ifsc.edu', to: 'joel@ifsc.edu', subject: 'Olá Joel', text: 'Você consegue me ajudar?\n.\n..com ponto\n' });
    await smtp.sendMail({
      from: 'bruna@ifsc.edu',
      to: 'joel@ifsc.edu',
      subject: 'anexo',
      text: 'segue',
      attachments: [{ filename: 'dados.bin', content: Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256)) }],
    });
    smtp.close();
  });
  afterAll(async () => {
    await pop?.close();
    await t?.close();
  });

  async function inbox() {
    const box = (await t.store.listMailboxes(joel)).find((b) => b.specialUse === 'inbox')!;
    const messages = (await t.store.listMessages(joel, box.id, 100)).sort((a, b) => a.uid - b.uid);
    return { box, messages };
  }

  async function poplib(mode: 'stls' | 'ssl', dele: boolean): Promise<PoplibResult> {
    const port = mode === 'stls' ? pop.ports.plain : pop.ports.tls;
    const { stdout } = await run('python3', ['-c', POPLIB, mode, String(port), 'joel@ifsc.edu', 'joel-password', dele ? '1' : '0'], { timeout: 20_000 });
    return JSON.parse(stdout) as PoplibResult;
  }

  it('STLS + USER/PASS, LIST/UIDL/RETR byte-identical to the store; keeps mail without DELE', async () => {
    const { box, messages } = await inbox();
    expect(messages).toHaveLength(2);
    const stored = await Promise.all(messages.map(async (m) => (await t.store.getRaw(joel, m.id)).raw));
    const r = await poplib('stls', false);
    // CAPA after STLS: the password mechanisms appear, STLS is gone (RFC 2595 §4).
    expect(r.caps).toEqual(expect.arrayContaining(['USER', 'SASL', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING']));
    expect(r.caps).not.toContain('STLS');
    expect(r.count).toBe(2);
    expect(r.size).toBe(stored[0]!.length + stored[1]!.length);
    expect(r.list).toEqual(stored.map((raw, i) => `${i + 1} ${raw.length}`));
    expect(r.uidl).toEqual(messages.map((m, i) => `${i + 1} ${box.uidValidity}.${m.uid}`));
    expect(r.sha256).toEqual(stored.map((raw) => createHash('sha256').update(raw).digest('hex')));
    expect(r.quit).toMatch(/^\+OK /);
    const after = await inbox();
    expect(after.messages).toHaveLength(2);
    expect(after.messages.every((m) => !m.seen)).toBe(true);
  });

  it('implicit TLS, DELE all + QUIT: gone from the INBOX the webmail shows', async () => {
    const r = await poplib('ssl', true);
    expect(r.count).toBe(2);
    expect(r.quit).toMatch(/\(2 messages deleted\)$/);
    expect((await inbox()).messages).toHaveLength(0);
    const again = await poplib('ssl', false);
    expect(again.count).toBe(0);
  });

  it('curl pop3:// (STLS, --ssl-reqd) and pop3s://: LIST, RETR byte-identical, DELE', async () => {
    const ana = (await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' })).id;
    const raws = [Buffer.from('Subject: curl 1\r\n\r\n.dot line\r\nfim\r\n'), Buffer.from('Subject: curl 2\r\n\r\nsegunda\r\n')];
    for (const raw of raws) {
      await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId: ana, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'x@example.org' });
    }
    const curl = async (url: string, ...extra: string[]) =>
      (await run('curl', ['-sS', '-k', '--ssl-reqd', '-u', 'ana@ifsc.edu:ana-password', ...extra, url], { encoding: 'buffer', timeout: 20_000 })).stdout;
    const plain = `pop3://127.0.0.1:${pop.ports.plain}`;
    const tls = `pop3s://127.0.0.1:${pop.ports.tls}`;
    expect((await curl(`${plain}/`)).toString()).toBe(`1 ${raws[0]!.length}\r\n2 ${raws[1]!.length}\r\n`);
    expect(await curl(`${plain}/1`)).toEqual(raws[0]);
    expect(await curl(`${tls}/2`)).toEqual(raws[1]);
    await curl(`${tls}/1`, '-X', 'DELE', '-I');
    const box = (await t.store.listMailboxes(ana)).find((b) => b.specialUse === 'inbox')!;
    expect((await t.store.listMessages(ana, box.id, 10)).map((m) => m.subject)).toEqual(['curl 2']);
  });
});
