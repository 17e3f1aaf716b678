/**
 * Real IMAP clients from Debian, driven the way a person's configuration drives them, for the
 * system tests (test/system/imap-clients.e2e.test.ts): mbsync (isync), offlineimap3, neomutt in a
 * tmux pane, curl, and Python's imaplib. Each writes its own configuration into a test directory,
 * connects with STARTTLS (the server's self-signed certificate is trusted explicitly, as a person
 * would accept it) and returns what the client printed. Nothing here knows which server it talks to.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ImapEndpoint {
  host: string;
  /** The plain port (STARTTLS). */
  port: number;
  /** The implicit-TLS port (offlineimap3 uses it: see runOfflineimap). */
  tlsPort: number;
  user: string;
  password: string;
  /** The server's self-signed certificate (PEM), trusted explicitly by the clients that check. */
  certFile: string;
}

export interface ClientRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program; never throws on a non-zero exit (the caller decides), only on a timeout. */
export async function runClient(cmd: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<ClientRun> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: opts.timeoutMs ?? 60_000, env: { ...process.env, ...opts.env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean; message: string };
    if (e.killed) throw new Error(`${cmd} timed out: ${e.stderr ?? ''}${e.stdout ?? ''}`);
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/**
 * mbsync (isync 1.4): a two-way channel between the server's INBOX and a local Maildir
 * `<dir>/mbsync-mail/INBOX`, flags and deletions propagated both ways (Sync All, Expunge Both).
 * Returns the Maildir's path with each run.
 */
export async function runMbsync(ep: ImapEndpoint, dir: string): Promise<ClientRun & { maildir: string }> {
  const mail = path.join(dir, 'mbsync-mail');
  mkdirSync(mail, { recursive: true });
  const rc = path.join(dir, 'mbsyncrc');
  writeFileSync(
    rc,
    [
      'IMAPAccount server',
      `Host ${ep.host}`,
      `Port ${ep.port}`,
      `User ${ep.user}`,
      `Pass ${ep.password}`,
      'SSLType STARTTLS',
      // isync trusts the certificates in this file without further checks (self-signed here).
      `CertificateFile ${ep.certFile}`,
      '',
      'IMAPStore far',
      'Account server',
      '',
      'MaildirStore near',
      `Path ${mail}/`,
      `Inbox ${mail}/INBOX`,
      '',
      'Channel inbox',
      'Far :far:',
      'Near :near:',
      'Patterns INBOX',
      'Create Both',
      'Expunge Both',
      'Sync All',
      `SyncState ${dir}/mbsync-state/`,
      '',
    ].join('\n'),
  );
  mkdirSync(path.join(dir, 'mbsync-state'), { recursive: true });
  chmodSync(rc, 0o600);
  const r = await runClient('mbsync', ['-c', rc, '-V', 'inbox']);
  return { ...r, maildir: path.join(mail, 'INBOX') };
}

/**
 * offlineimap3: one pass (-o) of the INBOX into `<dir>/offlineimap-mail/INBOX`, over implicit TLS.
 * Not STARTTLS: Debian's offlineimap3 8.0.0 (imaplib2 3.05) intermittently fails its own STARTTLS
 * ("Failed to start TLS connection: command: CAPABILITY ..."), against a private Dovecot as well
 * (1–4 runs in 12 here), so a STARTTLS run would test the client's race, not the server.
 */
export async function runOfflineimap(ep: ImapEndpoint, dir: string): Promise<ClientRun & { maildir: string }> {
  const mail = path.join(dir, 'offlineimap-mail');
  mkdirSync(mail, { recursive: true });
  const rc = path.join(dir, 'offlineimaprc');
  writeFileSync(
    rc,
    [
      '[general]',
      'accounts = test',
      `metadata = ${dir}/offlineimap-meta`,
      'ui = basic',
      '',
      '[Account test]',
      'localrepository = local',
      'remoterepository = remote',
      '',
      '[Repository local]',
      'type = Maildir',
      `localfolders = ${mail}`,
      '',
      '[Repository remote]',
      'type = IMAP',
      `remotehost = ${ep.host}`,
      `remoteport = ${ep.tlsPort}`,
      `remoteuser = ${ep.user}`,
      `remotepass = ${ep.password}`,
      'ssl = yes',
      `sslcacertfile = ${ep.certFile}`,
      "folderfilter = lambda name: name == 'INBOX'",
      'createfolders = False',
      '',
    ].join('\n'),
  );
  const r = await runClient('offlineimap', ['-c', rc, '-o', '-u', 'basic'], { timeoutMs: 90_000 });
  return { ...r, maildir: path.join(mail, 'INBOX') };
}

/** curl against imap://host:port/<path> with STARTTLS required (--ssl-reqd) and the certificate not checked (-k). */
export async function runCurl(ep: ImapEndpoint, urlPath: string, extra: string[] = []): Promise<ClientRun> {
  const url = `imap://${ep.host}:${ep.port}/${urlPath}`;
  return runClient('curl', ['-sS', '--ssl-reqd', '-k', '--max-time', '30', '-u', `${ep.user}:${ep.password}`, ...extra, url]);
}

/** python3 -c script args… (stdout is usually one JSON line). */
export async function runPython(script: string, args: string[]): Promise<ClientRun> {
  return runClient('python3', ['-c', script, ...args]);
}

/**
 * neomutt in a detached tmux session on the server's INBOX (STARTTLS, the certificate trusted via
 * certificate_file). keys() sends tmux key names, screen() returns the pane's text, waitFor()
 * polls the screen for a pattern.
 */
export async function startNeomutt(ep: ImapEndpoint, dir: string, session: string) {
  const rc = path.join(dir, 'neomuttrc');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    rc,
    [
      `set folder = "imap://${encodeURIComponent(ep.user)}@${ep.host}:${ep.port}/"`,
      'set spoolfile = "+INBOX"',
      `set imap_pass = "${ep.password}"`,
      'set ssl_starttls = yes',
      'set ssl_force_tls = yes',
      // The self-signed certificate, accepted once and stored, as neomutt's (a)ccept always does.
      `set certificate_file = "${ep.certFile}"`,
      'set ssl_verify_host = no',
      'set imap_check_subscribed = no',
      'set mail_check = 1',
      'set timeout = 1',
      'set delete = yes',
      'set quit = yes',
      'set move = no',
      'set mark_old = no',
      'set help = no',
      'set sort = date',
      'set header_cache = ""',
      'set message_cachedir = ""',
      `set tmpdir = "${dir}"`,
      '',
    ].join('\n'),
  );
  const tmux = (...args: string[]) => runClient('tmux', args, { timeoutMs: 10_000 });
  const started = await tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '40', `neomutt -n -F ${rc}; sleep 30`);
  if (started.code !== 0) throw new Error(`tmux: ${started.stderr}`);
  const screen = async () => (await tmux('capture-pane', '-p', '-t', session)).stdout;
  return {
    screen,
    async keys(...keys: string[]) {
      await tmux('send-keys', '-t', session, ...keys);
    },
    async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = await screen();
        if (pattern.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`neomutt: ${pattern} not on screen within ${timeoutMs} ms:\n${text}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stop() {
      await tmux('kill-session', '-t', session);
    },
  };
}
