import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ApiProcess, createTestDatabase, repoRoot, startApiProcess } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPython } from '../../libs/testing/src/imap-clients';
import { type RestSession, restSession } from './support/rest-session';

// One store, four views: a message delivered over SMTP (Python's smtplib to the MX), read in the
// webmail's way (REST: the detail, then PATCH seen as the reading pane does), flagged over IMAP
// (imaplib, STARTTLS), downloaded over POP3 (poplib, STLS). Every view must agree on the flags
// and on the bytes (RFC 9051 §2.3.2: \Seen and \Flagged are the message's, not the session's).

const run = promisify(execFile);
const DOMAIN = 'ifsc.edu';
const JOEL = { address: `joel@${DOMAIN}`, password: 'cross-view-pw-1' };
const SUBJECT = 'Cross view: one store';

const SEND = `
import smtplib, sys
port = int(sys.argv[1])
msg = ("From: Bruna Souza <bruna@paulolopes.fr>\\r\\nTo: <joel@ifsc.edu>\\r\\nSubject: ${SUBJECT}\\r\\n"
       "Date: Sun, 06 Dec 2026 10:00:00 +0000\\r\\nMessage-ID: <cross-view@paulolopes.fr>\\r\\n"
       "MIME-Version: 1.0\\r\\nContent-Type: text/plain; charset=utf-8\\r\\nContent-Transfer-Encoding: 8bit\\r\\n\\r\\n"
       "Olá Joel,\\r\\n.a line that starts with a dot\\r\\nthe same bytes everywhere.\\r\\n").encode('utf-8')
with smtplib.SMTP('127.0.0.1', port) as s:
    s.sendmail('bruna@paulolopes.fr', ['joel@ifsc.edu'], msg)
print('sent')
`;

/** imaplib over STARTTLS: argv op = 'flags' | 'flag' | 'unseen' | 'body'. Prints JSON. */
const IMAP = `
import hashlib, imaplib, json, ssl, sys
port, user, password, op = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
M = imaplib.IMAP4('127.0.0.1', port)
M.starttls(ssl_context=ctx)
M.login(user, password)
M.select('INBOX')
typ, data = M.uid('SEARCH', None, 'SUBJECT', '"${SUBJECT}"')
uid = data[0].split()[0]
out = {'uid': int(uid)}
if op == 'flag':
    M.uid('STORE', uid, '+FLAGS', '(\\\\Flagged)')
if op == 'unseen':
    M.uid('STORE', uid, '-FLAGS', '(\\\\Seen)')
if op == 'body':
    typ, data = M.uid('FETCH', uid, '(BODY.PEEK[])')
    out['sha256'] = hashlib.sha256(data[0][1]).hexdigest()
    out['size'] = len(data[0][1])
typ, data = M.uid('FETCH', uid, '(FLAGS)')
out['flags'] = sorted(imaplib.ParseFlags(data[0]))
out['flags'] = [f.decode() for f in out['flags']]
M.logout()
print(json.dumps(out))
`;

/** poplib with STLS: RETR of the only message; lines joined with CRLF are the message's bytes. */
const POP3 = `
import hashlib, json, poplib, ssl, sys
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
p = poplib.POP3('127.0.0.1', port)
p.stls(context=ctx)
p.user(user); p.pass_(password)
count, _ = p.stat()
resp, lines, octets = p.retr(1)
data = b'\\r\\n'.join(lines) + b'\\r\\n'
p.quit()
print(json.dumps({'count': count, 'sha256': hashlib.sha256(data).hexdigest(), 'size': len(data)}))
`;

describe.skipIf(!existsSync('/usr/bin/python3'))('one message, four views: SMTP in, webmail (REST), IMAP, POP3', () => {
  let api: ApiProcess;
  let dir: string;
  let drop: () => Promise<void> = async () => {};
  let rest: RestSession;

  const py = async (script: string, args: (string | number)[]) => {
    const r = await runPython(script, args.map(String));
    if (r.code !== 0) throw new Error(`python: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  };
  const imap = (op: 'flags' | 'flag' | 'unseen' | 'body') => py(IMAP, [api.imapPort, JOEL.address, JOEL.password, op]);
  const pop3 = () => py(POP3, [api.pop3Port, JOEL.address, JOEL.password]);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'apps/api/dist/main.js'))) throw new Error('apps/api/dist/main.js is missing: run `npm run build`');
    dir = await mkdtemp(path.join(tmpdir(), 'correio-cross-view-'));
    const db = await createTestDatabase();
    drop = db.drop;
    const env = {
      DATABASE_URL: db.url,
      DATABASE_IS_PGLITE: db.kind === 'pglite' ? 'true' : 'false',
      CORREIO_DATA_DIR: dir,
      CORREIO_ROLES: 'http,smtp,pop3,imap',
      CORREIO_DOMAIN: DOMAIN,
      CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`,
      CORREIO_ADMIN_PASSWORD: 'admin-secret-pw-0',
      LOG_LEVEL: 'warn',
    };
    api = await startApiProcess(env);
    await run(process.execPath, [path.join(repoRoot, 'apps/api/dist/cli/main.js'), 'account', 'add', JOEL.address, '--password', JOEL.password], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    rest = await restSession(`http://127.0.0.1:${api.httpPort}`, JOEL);
  }, 300_000);

  afterAll(async () => {
    await api?.stop();
    await drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every view agrees on \\Seen, \\Flagged and the bytes', async () => {
    const sent = await runPython(SEND, [String(api.smtpPort)]);
    expect(sent.code, sent.stderr).toBe(0);

    // Delivered: unread everywhere.
    const [row] = await rest.list('inbox');
    expect(row).toMatchObject({ subject: SUBJECT, seen: false });
    const summary = row as unknown as { id: string; flagged: boolean };
    expect(summary.flagged).toBe(false);
    expect((await imap('flags')).flags).toEqual([]);

    // Read in the webmail: the reading pane loads the detail and marks it read.
    await rest.get(`/messages/${summary.id}`);
    await rest.send('PATCH', `/messages/${summary.id}`, { seen: true });
    expect((await imap('flags')).flags).toEqual(['\\Seen']);

    // Flagged over IMAP: the webmail shows the flag, the read state is unchanged.
    expect((await imap('flag')).flags).toEqual(['\\Flagged', '\\Seen']);
    expect(await rest.get(`/messages/${summary.id}`)).toMatchObject({ seen: true, flagged: true });

    // The same bytes through REST (.eml), IMAP BODY[] and POP3 RETR.
    const raw = await rest.raw(`/messages/${summary.id}/raw`);
    expect(raw.toString('utf8')).toContain('Olá Joel,\r\n.a line that starts with a dot\r\n');
    const body = await imap('body');
    const popped = await pop3();
    expect(body).toMatchObject({ sha256: sha(raw), size: raw.length });
    expect(popped).toMatchObject({ count: 1, sha256: sha(raw), size: raw.length });

    // POP3's RETR did not change the flags (CORREIO_POP3_MARK_READ is off); unread over IMAP shows in REST.
    expect((await imap('flags')).flags).toEqual(['\\Flagged', '\\Seen']);
    expect((await imap('unseen')).flags).toEqual(['\\Flagged']);
    expect(await rest.get(`/messages/${summary.id}`)).toMatchObject({ seen: false, flagged: true });
    const [again] = await rest.list('inbox');
    expect(again).toMatchObject({ id: summary.id, seen: false });
  });
});
