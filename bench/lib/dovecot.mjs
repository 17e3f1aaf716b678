// A private Dovecot instance for the benchmarks and the IMAP system tests' control run: its own
// dovecot.conf, base_dir, state_dir, log, passwd-file and Maildirs under one temp directory, one
// protocol (pop3 for bench/pop3-download.mjs, imap for bench/imap.mjs through bench/imap/dovecot.mjs),
// on a free port of 127.0.0.1, no TLS unless a pair is given, plain LOGIN allowed (loopback only).
// The packaged service (/etc/dovecot, its ports) is never used or touched. Stock Dovecot 2.3
// settings otherwise: one login process per connection, index files next to the Maildir, no FTS
// plugin, inotify for IDLE.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aptInstall, freePort, userIds, waitForPort } from './harness.mjs';

export const DOVECOT_BIN = '/usr/sbin/dovecot';
const LDA_BIN = '/usr/lib/dovecot/dovecot-lda';
/** What each protocol needs from Debian: its package and the binaries that must be there. */
const PROTOCOLS = {
  pop3: { pkg: 'dovecot-pop3d', bins: [DOVECOT_BIN, '/usr/lib/dovecot/pop3'] },
  imap: { pkg: 'dovecot-imapd', bins: [DOVECOT_BIN, '/usr/lib/dovecot/imap', LDA_BIN] },
};

export function dovecotInstalled(protocol = 'pop3') {
  return PROTOCOLS[protocol].bins.every((b) => existsSync(b));
}

/**
 * Makes sure the protocol's Debian package is installed (installs it when missing and we are root).
 * Returns null when usable, else the reason it is not. Waits for another apt-get's lock (up to 3 min).
 */
export async function ensureDovecot({ protocol = 'pop3', install = true, log = () => {} } = {}) {
  const { pkg } = PROTOCOLS[protocol];
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'the private Dovecot instance runs as root (it switches to the mail user itself)';
  }
  if (dovecotInstalled(protocol)) return null;
  if (!install) return `Dovecot's ${protocol} is missing (apt-get install -y ${pkg})`;
  log(`installing Debian package ${pkg} (apt-get install -y ${pkg}) ...`);
  const failed = aptInstall(pkg);
  if (failed) return failed;
  return dovecotInstalled(protocol) ? null : `apt-get install ${pkg} finished but one of ${PROTOCOLS[protocol].bins.join(', ')} is missing`;
}

export function dovecotVersion() {
  return execFileSync(DOVECOT_BIN, ['--version'], { encoding: 'utf8' }).trim();
}

function dovecotConf(o) {
  // Settings that differ from Dovecot 2.3's built-in defaults only where the private instance needs it.
  const cleartext = o.major > 2 || (o.major === 2 && o.minor >= 4) ? 'auth_allow_cleartext = yes' : 'disable_plaintext_auth = no';
  const perProtocol =
    o.protocol === 'pop3'
      ? [
          'auth_mechanisms = plain',
          'pop3_uidl_format = %08Xu%08Xv',
          `service pop3-login {\n  inet_listener pop3 {\n    address = 127.0.0.1\n    port = ${o.port}\n  }\n}`,
        ]
      : [
          'auth_mechanisms = plain login',
          // The LDA needs a postmaster address for bounces it will never send here.
          'postmaster_address = postmaster@bench.test',
          'namespace inbox {\n  inbox = yes\n  separator = /\n}',
          `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${o.port}\n  }\n  inet_listener imaps {\n    address = 127.0.0.1\n    port = ${o.tls ? o.tlsPort : 0}\n  }\n}`,
          // The benchmark's 10 concurrent clients and the tests stay well under the default limit of
          // 10 per user and IP; raised so a slow LOGOUT of a previous loop never refuses the next LOGIN.
          'mail_max_userip_connections = 50',
        ];
  return `${[
    '# Private Dovecot instance written by bench/lib/dovecot.mjs; deleted when it stops.',
    `protocols = ${o.protocol}`,
    'listen = 127.0.0.1',
    `base_dir = ${o.root}/run`,
    `state_dir = ${o.root}/state`,
    `log_path = ${o.root}/dovecot.log`,
    `info_log_path = ${o.root}/dovecot.log`,
    ...(o.tls ? ['ssl = yes', `ssl_cert = <${o.tls.certFile}`, `ssl_key = <${o.tls.keyFile}`] : ['ssl = no']),
    cleartext,
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${o.root}/passwd\n}`,
    `userdb {\n  driver = passwd-file\n  args = username_format=%u ${o.root}/passwd\n}`,
    `mail_location = maildir:${o.root}/mail/%u`,
    ...perProtocol,
    // No stats/anvil sockets outside base_dir; nothing else listens.
  ].join('\n')}\n`;
}

/**
 * Starts `dovecot -F -c <root>/dovecot.conf` serving `protocol` ('pop3' or 'imap').
 * users: [{ name, password, passwordHash? }]; every user gets the Maildir <root>/mail/<name>
 * (cur/ new/ tmp/), owned by `nobody` (the instance's mail uid for every user). passwordHash: an
 * argon2id PHC string ("$argon2id$v=19$..."), stored as {ARGON2ID}, so Dovecot verifies the same
 * hash another server does; else the password is stored {PLAIN}. tls: { certFile, keyFile } offers
 * STARTTLS and implicit TLS (tlsPort) with that pair; plain LOGIN stays allowed either way.
 *
 * The instance can restart() (no process state survives: the "cold" runs) and deliver(user,
 * message) through Dovecot's LDA (dovecot-lda, what Postfix's mailbox_command or a `pipe` transport
 * runs): it writes the Maildir file and updates the index, which wakes IMAP sessions in IDLE.
 */
export async function startDovecot({ protocol = 'pop3', users, prefix = 'correio-dovecot-', tls } = {}) {
  const port = await freePort();
  const tlsPort = tls ? await freePort() : 0;
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  const owner = (await userIds('nobody')) ?? { uid: 65534, gid: 65534 };
  const [major, minor] = dovecotVersion().split('.').map(Number);
  const conf = path.join(root, 'dovecot.conf');
  let child;
  let out = '';
  let exited;

  const launch = async () => {
    out = '';
    child = spawn(DOVECOT_BIN, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    instance.pid = child.pid;
    await waitForPort(port, 30_000, { name: 'Dovecot', isAlive: () => child.exitCode === null && child.signalCode === null });
  };
  /** SIGTERM to the master (it stops its children). */
  const halt = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    }
  };

  const instance = {
    root,
    port,
    tlsPort,
    uid: owner.uid,
    gid: owner.gid,
    conf,
    maildir: (user) => path.join(root, 'mail', user),
    async log() {
      try {
        return await readFile(path.join(root, 'dovecot.log'), 'utf8');
      } catch {
        return out;
      }
    },
    /** Stops the master (and with it every login and mail process) and starts it again. */
    async restart() {
      await halt();
      await launch();
    },
    /** Delivers one message with dovecot-lda into user's INBOX; resolves when the LDA exited 0. */
    deliver(user, message, from = 'sender@corpus.test') {
      return new Promise((resolve, reject) => {
        const lda = spawn(LDA_BIN, ['-c', conf, '-d', user, '-f', from], { stdio: ['pipe', 'ignore', 'pipe'] });
        let err = '';
        lda.stderr.on('data', (d) => (err += d));
        lda.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`dovecot-lda exited ${code}: ${err}`))));
        lda.stdin.end(message);
      });
    },
    /** Stops the master, then deletes the directory (unless keepFiles). */
    async stop({ keepFiles = false } = {}) {
      await halt();
      if (!keepFiles) await rm(root, { recursive: true, force: true });
    },
    stopSync() {
      try {
        if (child && child.exitCode === null) child.kill('SIGKILL');
      } catch {}
      try {
        execFileSync('rm', ['-rf', root], { stdio: 'ignore' });
      } catch {}
    },
  };

  try {
    // Dovecot's unprivileged processes (dovenull, dovecot, the mail user) must traverse the root.
    await chmod(root, 0o755);
    await mkdir(path.join(root, 'state'), { mode: 0o750 });
    await mkdir(path.join(root, 'mail'), { mode: 0o755 });
    await chown(path.join(root, 'mail'), owner.uid, owner.gid);
    const passwd = users
      .map((u) => {
        const secret = u.passwordHash ? `{ARGON2ID}${u.passwordHash}` : `{PLAIN}${u.password}`;
        return `${u.name}:${secret}:${owner.uid}:${owner.gid}::${path.join(root, 'mail', u.name)}::`;
      })
      .join('\n');
    await writeFile(path.join(root, 'passwd'), `${passwd}\n`, { mode: 0o644 });
    for (const u of users) {
      for (const sub of ['', 'cur', 'new', 'tmp']) {
        const dir = path.join(root, 'mail', u.name, sub);
        await mkdir(dir, { recursive: true });
        await chown(dir, owner.uid, owner.gid);
      }
    }
    await writeFile(conf, dovecotConf({ protocol, root, port, tlsPort, major, minor, tls }));
    await launch();
  } catch (err) {
    const text = `${out}\n${await instance.log()}`;
    await instance.stop();
    throw new Error(`could not start Dovecot: ${err.message}\n${text.slice(-3000)}`);
  }
  return instance;
}
