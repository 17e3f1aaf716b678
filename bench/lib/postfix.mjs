// A private, throwaway Postfix instance for benchmarks and system tests (Debian's `postfix` package).
//
// Shared by bench/smtp-ingest.mjs (plain Node) and test/system/postfix-relay.e2e.test.ts (through
// test/system/support/postfix.ts), so it is plain ESM JavaScript with its types in postfix.d.mts.
//
// Each instance has its own config directory, queue, data directory, log file and Maildir under one
// temp directory; nothing touches /etc/postfix or the system queue. It is built to never send a byte
// off this machine:
//   - listens on 127.0.0.1 only (inet_interfaces, and the smtpd service bound to 127.0.0.1:<port>);
//   - no DNS anywhere: disable_dns_lookups / smtp_dns_support_level = disabled, smtpd_peername_lookup
//     = no, smtp_host_lookup = native (only used for the bracketed IP literal [127.0.0.1]);
//   - mail for the instance's own domains goes to one Maildir (virtual(8), static maps);
//   - mail for the relay domains goes to smtp:[127.0.0.1]:<relay port> (transport map + relayhost);
//   - everything else bounces at once (default_transport = error:...), never to the Internet.
// Postfix's master must start as root (it drops to the `postfix` user for its daemons).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { aptInstall, freePort, userIds, waitForPort } from './harness.mjs';

/** A free TCP port on 127.0.0.1 (re-exported for the system test support). */
export { freePort };

const run = promisify(execFile);

export const POSTFIX_BIN = '/usr/sbin/postfix';
export const SMTP_SOURCE_BIN = '/usr/sbin/smtp-source';
const QUEUES = ['maildrop', 'incoming', 'active', 'deferred', 'hold'];

/** Is Debian's postfix installed (the postfix command and smtp-source)? */
export function postfixInstalled() {
  return existsSync(POSTFIX_BIN) && existsSync(SMTP_SOURCE_BIN);
}

/**
 * Makes sure Postfix is installed: installs Debian's package (preseeded "No configuration", so the
 * system instance stays unconfigured and stopped) when it is missing and we are root.
 * Returns null when Postfix is usable, else the reason it is not.
 */
export async function ensurePostfix({ install = true, log = () => {} } = {}) {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'Postfix needs root: its master process starts as root (run as root, as CI does)';
  }
  if (postfixInstalled()) return null;
  if (!install) return `${POSTFIX_BIN} is missing (apt-get install -y postfix)`;
  log('installing Debian package postfix (apt-get install -y postfix) ...');
  const failed = aptInstall('postfix', {
    preseed: 'postfix postfix/main_mailer_type select No configuration\npostfix postfix/mailname string localhost\n',
  });
  if (failed) return failed;
  return postfixInstalled() ? null : 'apt-get install postfix finished but /usr/sbin/postfix or smtp-source is missing';
}

function mainCf(o) {
  const relayMap = o.relayDomains.map((d) => `${d}=smtp:[127.0.0.1]:${o.relayPort}`).join(' ');
  const lines = [
    '# Private Postfix instance written by bench/lib/postfix.mjs; deleted when it stops.',
    'compatibility_level = 3.6',
    `queue_directory = ${o.queueDir}`,
    `data_directory = ${o.dataDir}`,
    'mail_owner = postfix',
    'setgid_group = postdrop',
    `myhostname = ${o.hostname}`,
    'mydomain = localhost',
    'myorigin = $myhostname',
    'mydestination =',
    'append_dot_mydomain = no',
    'biff = no',
    // Loopback only, IPv4 only.
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'mynetworks = 127.0.0.0/8',
    // No DNS, ever: no reverse lookups of clients, no MX/A lookups for delivery.
    'smtpd_peername_lookup = no',
    'disable_dns_lookups = yes',
    'smtp_dns_support_level = disabled',
    'lmtp_dns_support_level = disabled',
    'smtp_host_lookup = native',
    'lmtp_host_lookup = native',
    'smtp_address_preference = ipv4',
    // Accept from loopback (mynetworks); no client checks, no postscreen.
    'smtpd_client_restrictions =',
    'smtpd_helo_restrictions =',
    'smtpd_sender_restrictions =',
    'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
    'smtpd_recipient_restrictions =',
    'smtpd_banner = $myhostname ESMTP',
    // Local delivery: every recipient in the instance's own domains goes to one Maildir.
    'alias_maps =',
    'alias_database =',
    'local_recipient_maps =',
    'local_transport = error:5.1.1 local delivery is disabled in this instance',
    `virtual_mailbox_domains = ${o.domains.join(' ') || '$virtual_mailbox_maps'}`,
    `virtual_mailbox_base = ${o.mailBase}`,
    'virtual_mailbox_maps = static:sink/',
    `virtual_uid_maps = static:${o.uid}`,
    `virtual_gid_maps = static:${o.gid}`,
    `virtual_minimum_uid = ${Math.min(o.uid, 100)}`,
    // Relaying: only the relay domains, only to [127.0.0.1]:<relay port>; anything else bounces.
    o.relayPort ? `relayhost = [127.0.0.1]:${o.relayPort}` : 'relayhost =',
    `relay_domains = ${o.relayDomains.join(' ')}`,
    o.relayPort && relayMap ? `transport_maps = inline:{ ${relayMap} }` : 'transport_maps =',
    'default_transport = error:5.7.1 this test instance delivers nowhere else',
    'relay_transport = error:5.7.1 this test instance delivers nowhere else',
    // Tests want answers now, not after Postfix's usual retry schedule.
    'smtp_connect_timeout = 10s',
    'queue_run_delay = 10s',
    'minimal_backoff_time = 10s',
    'maximal_backoff_time = 20s',
    `maillog_file = ${o.logFile}`,
    // Postfix refuses a log file outside maillog_file_prefixes (default: /var, /dev/stdout).
    `maillog_file_prefixes = ${o.root}`,
    ...Object.entries(o.settings).map(([k, v]) => `${k} = ${v}`),
  ];
  return `${lines.join('\n')}\n`;
}

function masterCf(port) {
  // Debian's defaults without chroot (the queue lives in a temp dir without /etc copies) and
  // without the pipe/uucp/... transports; smtpd only on 127.0.0.1:<port>, no postscreen.
  const services = [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'pickup    unix  n - n 60 1 pickup',
    'cleanup   unix  n - n - 0 cleanup',
    'qmgr      unix  n - n 300 1 qmgr',
    'rewrite   unix  - - n - - trivial-rewrite',
    'bounce    unix  - - n - 0 bounce',
    'defer     unix  - - n - 0 bounce',
    'trace     unix  - - n - 0 bounce',
    'verify    unix  - - n - 1 verify',
    'flush     unix  n - n 1000? 0 flush',
    'proxymap  unix  - - n - - proxymap',
    'smtp      unix  - - n - - smtp',
    'relay     unix  - - n - - smtp',
    'showq     unix  n - n - - showq',
    'error     unix  - - n - - error',
    'retry     unix  - - n - - error',
    'discard   unix  - - n - - discard',
    'local     unix  - n n - - local',
    'virtual   unix  - n n - - virtual',
    'anvil     unix  - - n - 1 anvil',
    'scache    unix  - - n - 1 scache',
    'postlog   unix-dgram n - n - 1 postlogd',
  ];
  return `${services.join('\n')}\n`;
}

async function countFiles(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    if (err.code === 'ENOENT') return 0;
    throw err;
  }
  return entries.filter((e) => e.isFile()).length;
}

/**
 * Starts a private Postfix instance. Options:
 *   port          smtpd port on 127.0.0.1 (default: a free one)
 *   domains       domains delivered into the instance's Maildir (default ['postfix.test'])
 *   relayDomains  domains relayed to [127.0.0.1]:relayPort
 *   relayPort     the MX to relay to (also set as relayhost)
 *   settings      extra main.cf settings (override the defaults above)
 *   prefix        temp dir name prefix
 */
export async function startPostfix(options = {}) {
  const port = options.port ?? (await freePort());
  const root = await mkdtemp(path.join(tmpdir(), options.prefix ?? 'correio-postfix-'));
  const dirs = {
    root,
    configDir: path.join(root, 'etc'),
    queueDir: path.join(root, 'queue'),
    dataDir: path.join(root, 'data'),
    mailBase: path.join(root, 'mail'),
    logFile: path.join(root, 'maillog'),
  };
  const owner = (await userIds('nobody')) ?? { uid: 65534, gid: 65534 };
  const o = {
    ...dirs,
    hostname: options.hostname ?? 'postfix.localhost',
    domains: options.domains ?? ['postfix.test'],
    relayDomains: options.relayDomains ?? [],
    relayPort: options.relayPort,
    settings: options.settings ?? {},
    uid: owner.uid,
    gid: owner.gid,
  };
  const env = { ...process.env, MAIL_CONFIG: dirs.configDir };
  const postfixCmd = (args, timeout = 60_000) => run(POSTFIX_BIN, ['-c', dirs.configDir, ...args], { env, timeout });
  let started = false;

  const instance = {
    ...dirs,
    port,
    maildir: path.join(dirs.mailBase, 'sink'),
    /** Runs postconf against this instance. */
    async postconf(args = []) {
      const { stdout } = await run('/usr/sbin/postconf', ['-c', dirs.configDir, ...args], { env });
      return stdout;
    },
    /** Messages still in the queue (maildrop, incoming, active, deferred, hold). */
    async queueCount() {
      let n = 0;
      for (const q of QUEUES) n += await countFiles(path.join(dirs.queueDir, q));
      return n;
    },
    /** Waits until the queue is empty; throws with the queue's size after timeoutMs. */
    async waitForEmptyQueue(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const n = await instance.queueCount();
        if (n === 0) return;
        if (Date.now() > deadline) throw new Error(`Postfix queue still holds ${n} message(s) after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** Messages delivered into the Maildir (new/ and cur/). */
    async maildirCount() {
      return (await countFiles(path.join(instance.maildir, 'new'))) + (await countFiles(path.join(instance.maildir, 'cur')));
    },
    /** The delivered messages' bytes, oldest first. */
    async readMaildir() {
      const out = [];
      for (const sub of ['cur', 'new']) {
        const dir = path.join(instance.maildir, sub);
        let names = [];
        try {
          names = await readdir(dir);
        } catch (err) {
          if (err.code !== 'ENOENT') throw err;
        }
        for (const name of names) {
          const file = path.join(dir, name);
          out.push({ file, mtimeMs: (await stat(file)).mtimeMs, raw: await readFile(file) });
        }
      }
      return out.sort((a, b) => a.mtimeMs - b.mtimeMs);
    },
    /** Empties the Maildir (between benchmark runs). */
    async clearMaildir() {
      for (const sub of ['new', 'cur', 'tmp']) {
        const dir = path.join(instance.maildir, sub);
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true });
        await chown(dir, o.uid, o.gid);
      }
    },
    /** Postfix's log so far (maillog_file). */
    async log() {
      try {
        return await readFile(dirs.logFile, 'utf8');
      } catch {
        return '';
      }
    },
    /** Waits until the log matches re; returns the matching line. */
    async waitForLog(re, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = (await instance.log()).split('\n').find((l) => re.test(l));
        if (line) return line;
        if (Date.now() > deadline)
          throw new Error(`Postfix log did not match ${re} in ${timeoutMs} ms:\n${(await instance.log()).slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** Asks the queue manager to retry deferred mail now. */
    async flush() {
      await postfixCmd(['flush']);
    },
    /** Stops Postfix and deletes the instance's directory (keepFiles: leave it for a post-mortem). */
    async stop({ keepFiles = false } = {}) {
      if (started) {
        started = false;
        const pid = await masterPid(dirs.queueDir);
        await postfixCmd(['stop']).catch(() => postfixCmd(['abort']).catch(() => {}));
        if (pid) await waitForExit(pid, 20_000);
      }
      if (!keepFiles) await rm(root, { recursive: true, force: true });
    },
    /** Synchronous stop for exit/signal handlers. */
    stopSync() {
      if (started) {
        started = false;
        try {
          execFileSync(POSTFIX_BIN, ['-c', dirs.configDir, 'abort'], { env, stdio: 'ignore', timeout: 20_000 });
        } catch {}
      }
      try {
        execFileSync('rm', ['-rf', root], { stdio: 'ignore' });
      } catch {}
    },
  };

  try {
    // Postfix's daemons run as the postfix user and must reach the queue: the temp dir is 0700.
    await chmod(root, 0o755);
    await mkdir(dirs.configDir, { recursive: true });
    await mkdir(dirs.queueDir, { mode: 0o755 });
    await mkdir(dirs.dataDir, { mode: 0o700 });
    const postfixUser = await userIds('postfix');
    if (postfixUser) await chown(dirs.dataDir, postfixUser.uid, postfixUser.gid);
    await mkdir(dirs.mailBase, { recursive: true });
    await chown(dirs.mailBase, o.uid, o.gid);
    await writeFile(path.join(dirs.configDir, 'main.cf'), mainCf(o));
    await writeFile(path.join(dirs.configDir, 'master.cf'), masterCf(port));
    await writeFile(dirs.logFile, '');
    // `postfix start` runs `postfix check` and post-install, which create the queue's
    // subdirectories with the right owners and modes.
    started = true;
    await postfixCmd(['start']);
    await waitForPort(port, 30_000, { name: 'Postfix smtpd' });
    await mkdir(instance.maildir, { recursive: true });
    await chown(instance.maildir, o.uid, o.gid);
    await instance.clearMaildir();
  } catch (err) {
    const logText = await instance.log();
    await instance.stop({ keepFiles: !!process.env.POSTFIX_KEEP });
    const detail = err.stderr ? `${err.message}\n${err.stderr}` : err.message;
    throw new Error(`could not start Postfix: ${detail}\n${logText.slice(-3000)}`);
  }
  return instance;
}

async function masterPid(queueDir) {
  try {
    return Number((await readFile(path.join(queueDir, 'pid', 'master.pid'), 'utf8')).trim()) || undefined;
  } catch {
    return undefined;
  }
}

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------------
// Added for bench/delivery.mjs: queue sizes per queue, hold/release, and Postfix's smtp-sink.
// ---------------------------------------------------------------------------------------------
export const SMTP_SINK_BIN = '/usr/sbin/smtp-sink';

/** Files per queue (maildrop, incoming, active, deferred, hold) of an instance. */
export async function queueSizes(instance) {
  const sizes = {};
  for (const q of QUEUES) sizes[q] = await countFiles(path.join(instance.queueDir, q));
  return sizes;
}

/**
 * Releases every held message (`postsuper -H ALL`: hold → deferred) and asks the queue manager to
 * deliver the deferred queue now (`postqueue -f`), as an admin releasing a held queue would.
 */
export async function releaseHeld(instance) {
  const env = { ...process.env, MAIL_CONFIG: instance.configDir };
  await run('/usr/sbin/postsuper', ['-c', instance.configDir, '-H', 'ALL'], { env, timeout: 60_000 });
  await run('/usr/sbin/postqueue', ['-c', instance.configDir, '-f'], { env, timeout: 60_000 });
}

/**
 * Starts Postfix's smtp-sink on 127.0.0.1 (a free port unless given): it accepts every message and
 * throws it away. `-c` makes it print running counters (sessions, QUITs, messages) on every change;
 * they are parsed and timestamped here, so callers can wait for a message count and know when the
 * first and last messages of a run arrived. Runs as `nobody` (smtp-sink refuses to stay root).
 */
export async function startSmtpSink({ port, hostname = 'sink.localhost', user = 'nobody', maxConnections = 1000 } = {}) {
  const { spawn } = await import('node:child_process');
  const listenPort = port ?? (await freePort());
  const child = spawn(
    SMTP_SINK_BIN,
    ['-4', '-c', '-h', hostname, '-m', String(maxConnections), '-u', user, `127.0.0.1:${listenPort}`, '1024'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const counters = { sessions: 0, quits: 0, messages: 0 };
  /** Arrival time (performance.now()) of message n, for every n seen. */
  const arrivals = [];
  const waiters = new Set();
  let buf = '';
  child.stdout.on('data', (d) => {
    const now = performance.now();
    buf += d.toString('latin1');
    const parts = buf.split('\r');
    buf = parts.pop();
    for (const p of parts) {
      const m = /sess=(\d+) quit=(\d+) mesg=(\d+)/.exec(p);
      if (!m) continue;
      counters.sessions = Number(m[1]);
      counters.quits = Number(m[2]);
      const msgs = Number(m[3]);
      while (arrivals.length < msgs) arrivals.push(now);
      counters.messages = msgs;
    }
    for (const w of waiters) w();
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  await waitForPort(listenPort, 10_000, { name: 'smtp-sink', isAlive: () => child.exitCode === null && child.signalCode === null }).catch(
    (e) => {
      child.kill('SIGKILL');
      throw new Error(`${e.message}: ${err.trim()}`);
    },
  );
  return {
    port: listenPort,
    child,
    counters,
    /** performance.now() of the arrival of message number n (1-based), or undefined. */
    arrivalOf: (n) => arrivals[n - 1],
    /** Resolves when at least `n` messages have arrived; rejects after timeoutMs. */
    waitForMessages(n, timeoutMs = 300_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (counters.messages >= n) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(counters.messages);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`smtp-sink: ${counters.messages} of ${n} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
}
