import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ApiProcess, SmtpTranscript, createTestDatabase, repoRoot, startApiProcess } from '@correio/testing';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecotImap } from '../../bench/imap/dovecot.mjs';
import {
  type ImapEndpoint,
  runCurl,
  runMbsync,
  runOfflineimap,
  runPython,
  startNeomutt,
} from '../../libs/testing/src/imap-clients';

// Real IMAP clients from Debian against the built server, each on its own account: mbsync two-way
// sync with flags and deletions, offlineimap3 into a Maildir, neomutt in tmux reading and deleting,
// curl imap:// (LIST, FETCH, SEARCH) and Python's imaplib over STARTTLS. Every client connects with
// STARTTLS (offlineimap3 with implicit TLS: its own STARTTLS is racy, see runOfflineimap) and the
// development self-signed certificate (LOGINDISABLED before TLS, as in production).
// What each client did is checked on the server through another IMAP connection (imapflow).
//
// IMAP_CLIENTS_AGAINST=dovecot runs the same client tests against a private Dovecot (the control:
// it shows the scripts drive the clients right, so a failure against Correio is Correio's).

const run = promisify(execFile);
const AGAINST = process.env.IMAP_CLIENTS_AGAINST === 'dovecot' ? 'dovecot' : 'correio';
const DOMAIN = 'ifsc.edu';
const PASSWORD = 'imap-clients-pw-1';
const USERS = ['mbsync', 'offline', 'mutt', 'curl', 'py'].map((n) => `${n}@${DOMAIN}`);
const tools = ['mbsync', 'offlineimap', 'neomutt', 'tmux', 'curl', 'python3'];
const missing = tools.filter((t) => !['/usr/bin', '/bin', '/usr/local/bin'].some((d) => existsSync(path.join(d, t))));

interface ServerUnderTest {
  imapPort: number;
  imapsPort: number;
  certFile: string;
  deliver(to: string, raw: string): Promise<void>;
  stop(): Promise<void>;
  output(): Promise<string>;
}

/** A message as an MTA would hand it over: CRLF, no line starting with ".". */
function message(to: string, subject: string, body: string): string {
  return [
    'From: Bruna Souza <bruna@paulolopes.fr>',
    `To: <${to}>`,
    `Subject: ${subject}`,
    'Date: Sun, 06 Dec 2026 10:00:00 +0000',
    `Message-ID: <${subject.replace(/\W+/g, '-')}-${Date.now()}@paulolopes.fr>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

async function smtpDeliver(port: number, to: string, raw: string): Promise<void> {
  const s = await SmtpTranscript.connect(port);
  try {
    for (const [cmd, code] of [
      [null, '220'],
      ['EHLO mx.paulolopes.fr', '250'],
      ['MAIL FROM:<bruna@paulolopes.fr>', '250'],
      [`RCPT TO:<${to}>`, '250'],
      ['DATA', '354'],
    ] as const) {
      const reply = cmd === null ? await s.read() : await s.command(cmd);
      if (!reply.startsWith(code)) throw new Error(`SMTP ${cmd ?? 'greeting'}: ${reply}`);
    }
    s.write(raw.endsWith('\r\n') ? raw : `${raw}\r\n`);
    const done = await s.command('.');
    if (!done.startsWith('250')) throw new Error(`SMTP end of data: ${done}`);
  } finally {
    s.close();
  }
}

async function startCorreio(dir: string): Promise<ServerUnderTest> {
  if (!existsSync(path.join(repoRoot, 'apps/api/dist/main.js'))) throw new Error('apps/api/dist/main.js is missing: run `npm run build`');
  const db = await createTestDatabase();
  const env = {
    DATABASE_URL: db.url,
    DATABASE_IS_PGLITE: db.kind === 'pglite' ? 'true' : 'false',
    CORREIO_DATA_DIR: path.join(dir, 'data'),
    CORREIO_ROLES: 'http,smtp,imap',
    CORREIO_DOMAIN: DOMAIN,
    CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`,
    CORREIO_ADMIN_PASSWORD: 'admin-secret-pw-0',
    LOG_LEVEL: 'warn',
  };
  const api: ApiProcess = await startApiProcess(env);
  for (const u of USERS) {
    await run(process.execPath, [path.join(repoRoot, 'apps/api/dist/cli/main.js'), 'account', 'add', u, '--password', PASSWORD], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
  }
  return {
    imapPort: api.imapPort,
    imapsPort: api.imapsPort,
    certFile: path.join(dir, 'data/tls/selfsigned-cert.pem'),
    deliver: (to, raw) => smtpDeliver(api.smtpPort, to, raw),
    async stop() {
      await api.stop();
      await db.drop();
    },
    output: async () => api.output(),
  };
}

async function startDovecot(dir: string): Promise<ServerUnderTest> {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyFile, '-out', certFile]);
  const d = await startDovecotImap({ users: USERS.map((name) => ({ name, password: PASSWORD })), tls: { certFile, keyFile } });
  return {
    imapPort: d.port,
    imapsPort: d.tlsPort,
    certFile,
    deliver: (to, raw) => d.deliver(to, raw),
    stop: () => d.stop(),
    output: () => d.log(),
  };
}

interface ServerMessage {
  uid: number;
  seq: number;
  subject: string;
  flags: string[];
}

describe.skipIf(missing.length > 0)(`real IMAP clients against ${AGAINST === 'dovecot' ? 'a private Dovecot (control)' : 'the IMAP server'}`, () => {
  let server: ServerUnderTest;
  let dir: string;
  // "localhost": the name in the development certificate, which mbsync checks against the host.
  const ep = (user: string): ImapEndpoint => ({ host: 'localhost', port: server.imapPort, tlsPort: server.imapsPort, user, password: PASSWORD, certFile: server.certFile });

  /** The server's view of a user's INBOX, through a separate IMAP connection (imapflow, STARTTLS). */
  async function inbox(user: string): Promise<ServerMessage[]> {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: server.imapPort,
      secure: false,
      doSTARTTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user, pass: PASSWORD },
      logger: false,
    });
    await c.connect();
    const out: ServerMessage[] = [];
    const lock = await c.getMailboxLock('INBOX');
    try {
      const exists = c.mailbox ? c.mailbox.exists : 0;
      if (exists > 0) {
        for await (const m of c.fetch('1:*', { uid: true, flags: true, envelope: true })) {
          out.push({ uid: m.uid, seq: m.seq, subject: m.envelope?.subject ?? '', flags: [...(m.flags ?? [])].sort() });
        }
      }
    } finally {
      lock.release();
      await c.logout();
    }
    return out;
  }

  /** Changes on the server side, as another client would make them. */
  async function onServer(user: string, fn: (c: ImapFlow) => Promise<void>): Promise<void> {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: server.imapPort,
      secure: false,
      doSTARTTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user, pass: PASSWORD },
      logger: false,
    });
    await c.connect();
    const lock = await c.getMailboxLock('INBOX');
    try {
      await fn(c);
    } finally {
      lock.release();
      await c.logout();
    }
  }

  const bySubject = (msgs: ServerMessage[], subject: string) => msgs.find((m) => m.subject === subject);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'correio-imap-clients-'));
    server = AGAINST === 'dovecot' ? await startDovecot(dir) : await startCorreio(dir);
  }, 300_000);

  afterAll(async () => {
    const artifacts = path.join(repoRoot, 'test-results');
    try {
      mkdirSync(artifacts, { recursive: true });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(artifacts, `imap-clients-${AGAINST}.log`), await server.output());
    } catch {}
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The Maildir's messages: subject → { file, flags } (cur/ and new/). */
  function maildir(dirPath: string): Map<string, { file: string; flags: string }> {
    const out = new Map<string, { file: string; flags: string }>();
    for (const sub of ['cur', 'new']) {
      const d = path.join(dirPath, sub);
      if (!existsSync(d)) continue;
      for (const f of readdirSync(d)) {
        const text = readFileSync(path.join(d, f), 'latin1');
        const subject = /^Subject: (.*)$/m.exec(text)?.[1]?.replace(/\r$/, '') ?? '';
        out.set(subject, { file: path.join(d, f), flags: f.includes(':2,') ? f.slice(f.indexOf(':2,') + 3) : '' });
      }
    }
    return out;
  }

  /** Sets a Maildir message's flags the way a local mail reader does: rename into cur/ with :2,<flags>. */
  function setLocalFlags(file: string, flags: string): void {
    const base = path.basename(file).split(':2,')[0]!;
    renameSync(file, path.join(path.dirname(path.dirname(file)), 'cur', `${base}:2,${[...flags].sort().join('')}`));
  }

  it('mbsync: two-way sync of the INBOX with flags and deletions', async () => {
    const user = `mbsync@${DOMAIN}`;
    const work = path.join(dir, 'mbsync');
    for (const s of ['mbsync one', 'mbsync two', 'mbsync three']) await server.deliver(user, message(user, s, `body of ${s}`));

    // 1. sync down
    let r = await runMbsync(ep(user), work);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    let local = maildir(r.maildir);
    expect([...local.keys()].sort()).toEqual(['mbsync one', 'mbsync three', 'mbsync two']);
    expect(readFileSync(local.get('mbsync two')!.file, 'latin1')).toContain('body of mbsync two');

    // 2. change locally: flag + read one, delete two, read three; sync up
    setLocalFlags(local.get('mbsync one')!.file, 'FS');
    rmSync(local.get('mbsync two')!.file);
    setLocalFlags(local.get('mbsync three')!.file, 'S');
    r = await runMbsync(ep(user), work);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    let remote = await inbox(user);
    expect(remote.map((m) => m.subject).sort()).toEqual(['mbsync one', 'mbsync three']);
    expect(bySubject(remote, 'mbsync one')!.flags).toEqual(['\\Flagged', '\\Seen']);
    expect(bySubject(remote, 'mbsync three')!.flags).toEqual(['\\Seen']);

    // 3. change on the server (another client): flag three, delete one, a new message arrives; sync down
    await onServer(user, async (c) => {
      remote = await inbox(user);
      await c.messageFlagsAdd(String(bySubject(remote, 'mbsync three')!.uid), ['\\Flagged'], { uid: true });
      await c.messageDelete(String(bySubject(remote, 'mbsync one')!.uid), { uid: true });
    });
    await server.deliver(user, message(user, 'mbsync four', 'body of mbsync four'));
    r = await runMbsync(ep(user), work);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    local = maildir(r.maildir);
    expect([...local.keys()].sort()).toEqual(['mbsync four', 'mbsync three']);
    expect(local.get('mbsync three')!.flags).toBe('FS');
    expect(local.get('mbsync four')!.flags).toBe('');

    // 4. a sync with nothing to do changes nothing on either side
    r = await runMbsync(ep(user), work);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect([...maildir(r.maildir).keys()].sort()).toEqual(['mbsync four', 'mbsync three']);
    expect((await inbox(user)).map((m) => `${m.subject} ${m.flags.join(' ')}`).sort()).toEqual(['mbsync four ', 'mbsync three \\Flagged \\Seen']);
  });

  it('offlineimap3 (implicit TLS): syncs the INBOX into a Maildir and a local read flag back', async () => {
    const user = `offline@${DOMAIN}`;
    const work = path.join(dir, 'offlineimap');
    for (const s of ['offline alpha', 'offline beta']) await server.deliver(user, message(user, s, `text of ${s}`));
    let r = await runOfflineimap(ep(user), work);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    let local = maildir(r.maildir);
    expect([...local.keys()].sort()).toEqual(['offline alpha', 'offline beta']);
    expect(readFileSync(local.get('offline beta')!.file, 'latin1')).toContain('text of offline beta');

    setLocalFlags(local.get('offline alpha')!.file, 'S');
    await server.deliver(user, message(user, 'offline gamma', 'text of offline gamma'));
    r = await runOfflineimap(ep(user), work);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    local = maildir(r.maildir);
    expect([...local.keys()].sort()).toEqual(['offline alpha', 'offline beta', 'offline gamma']);
    const remote = await inbox(user);
    expect(bySubject(remote, 'offline alpha')!.flags).toEqual(['\\Seen']);
    expect(bySubject(remote, 'offline beta')!.flags).toEqual([]);
  });

  it('neomutt (in tmux): reads a message (\\Seen on the server) and deletes it (gone from the server)', async () => {
    const user = `mutt@${DOMAIN}`;
    await server.deliver(user, message(user, 'neomutt reading test', 'Hello from the neomutt test, line one.'));
    const mutt = await startNeomutt(ep(user), path.join(dir, 'neomutt'), `correio-imap-${process.pid}`);
    try {
      await mutt.waitFor(/neomutt reading test/);
      expect(bySubject(await inbox(user), 'neomutt reading test')!.flags).toEqual([]);
      await mutt.keys('Enter');
      await mutt.waitFor(/Hello from the neomutt test, line one\./);
      await mutt.keys('q');
      await mutt.waitFor(/neomutt reading test/);
      // neomutt reads with BODY.PEEK[] and keeps the read flag locally until it syncs the mailbox ($).
      await mutt.keys('$');
      await expect.poll(async () => bySubject(await inbox(user), 'neomutt reading test')?.flags, { timeout: 10_000 }).toEqual(['\\Seen']);
      await mutt.keys('d');
      await mutt.keys('$');
      await expect.poll(async () => (await inbox(user)).length, { timeout: 15_000 }).toBe(0);
      await mutt.keys('q');
    } finally {
      await mutt.stop();
    }
  });

  it('curl imap://: LIST, SEARCH and FETCH of a message', async () => {
    const user = `curl@${DOMAIN}`;
    await server.deliver(user, message(user, 'curl alpha', 'first curl body'));
    await server.deliver(user, message(user, 'curl beta', 'second curl body'));

    const list = await runCurl(ep(user), '');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^\* LIST \([^)]*\) "[^"]*" "?INBOX"?\r?$/m);

    const search = await runCurl(ep(user), 'INBOX?SUBJECT%20beta');
    expect(search.code, search.stderr).toBe(0);
    const hit = /^\* SEARCH ([\d ]+)\r?$/m.exec(search.stdout);
    expect(hit, search.stdout).not.toBeNull();
    const seq = hit![1]!.trim().split(' ');
    expect(seq).toHaveLength(1);

    const fetched = await runCurl(ep(user), `INBOX;MAILINDEX=${seq[0]}`);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stdout).toContain('Subject: curl beta');
    expect(fetched.stdout).toContain('second curl body');

    const remote = await inbox(user);
    const beta = bySubject(remote, 'curl beta')!;
    const byUid = await runCurl(ep(user), `INBOX;UID=${beta.uid}`);
    expect(byUid.code, byUid.stderr).toBe(0);
    expect(byUid.stdout).toBe(fetched.stdout);
  });

  it("Python's imaplib: LOGIN after STARTTLS, SELECT, SEARCH, FETCH, STORE, EXPUNGE", async () => {
    const user = `py@${DOMAIN}`;
    for (const s of ['py one', 'py two', 'py three']) await server.deliver(user, message(user, s, `python body ${s}`));
    const script = `
import imaplib, json, ssl, sys
host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
out = {}
M = imaplib.IMAP4(host, port)
out['logindisabled_before_tls'] = 'LOGINDISABLED' in M.capabilities
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE  # the development certificate is self-signed: accepted as is
M.starttls(ssl_context=ctx)
out['login'] = M.login(user, password)[0]
typ, data = M.select('INBOX')
out['exists'] = int(data[0])
typ, data = M.search(None, 'SUBJECT', '"py two"')
two = data[0].split()
out['search'] = [int(n) for n in two]
typ, data = M.fetch(two[0], '(RFC822)')
out['body_has_text'] = b'python body py two' in data[0][1]
typ, data = M.fetch(two[0], '(FLAGS)')
out['seen_after_fetch'] = b'\\\\Seen' in data[0]
typ, data = M.store(two[0], '+FLAGS', '(\\\\Flagged)')
out['store'] = [d.decode() for d in data]
typ, data = M.search(None, 'SUBJECT', '"py one"')
one = data[0].split()[0]
M.store(one, '+FLAGS.SILENT', '(\\\\Deleted)')
typ, data = M.expunge()
out['expunged'] = [int(d) for d in data if d]
typ, data = M.select('INBOX')
out['exists_after'] = int(data[0])
M.logout()
print(json.dumps(out))
`;
    const r = await runPython(script, ['127.0.0.1', String(server.imapPort), user, PASSWORD]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    const seqOf = (s: string) => ['py one', 'py two', 'py three'].indexOf(s) + 1;
    expect(out).toMatchObject({
      login: 'OK',
      exists: 3,
      search: [seqOf('py two')],
      body_has_text: true,
      seen_after_fetch: true, // RFC 9051 §6.4.5: FETCH of BODY[] (RFC822) sets \Seen
      expunged: [seqOf('py one')],
      exists_after: 2,
    });
    if (AGAINST === 'correio') expect(out.logindisabled_before_tls).toBe(true);
    expect(out.store.join(' ')).toMatch(/\\Flagged/);
    const remote = await inbox(user);
    expect(remote.map((m) => `${m.subject} ${m.flags.join(' ')}`)).toEqual(['py two \\Flagged \\Seen', 'py three ']);
  });
});
