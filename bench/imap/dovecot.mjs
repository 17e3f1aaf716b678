// A private Dovecot IMAP instance (Debian's dovecot-imapd) for bench/imap.mjs and the IMAP system
// tests: its own dovecot.conf, base_dir, state_dir, log, passwd-file and Maildirs under one temp
// directory, imap only, on a free port of 127.0.0.1, no TLS (or STARTTLS with a given pair) and
// plain LOGIN allowed (loopback only). The packaged service (/etc/dovecot, ports 143/993) is never used or touched. Stock
// Dovecot 2.3 settings otherwise: one imap-login process per connection, no FTS plugin, index
// files next to the Maildir, inotify for IDLE.
//
// deliver(user, message) hands a message to Dovecot's LDA (dovecot-lda, what Postfix's
// mailbox_command or a `pipe` transport runs): it writes the Maildir file and updates the index,
// which wakes IMAP sessions in IDLE.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aptInstall, freePort, userIds, waitForPort } from '../lib/harness.mjs';

export const DOVECOT_BIN = '/usr/sbin/dovecot';
const IMAP_BIN = '/usr/lib/dovecot/imap';
const LDA_BIN = '/usr/lib/dovecot/dovecot-lda';

export function dovecotImapInstalled() {
  return existsSync(DOVECOT_BIN) && existsSync(IMAP_BIN) && existsSync(LDA_BIN);
}

/** Installs Debian's dovecot-imapd when missing (root only). Returns null when usable, else why not. */
export async function ensureDovecotImap({ install = true, log = () => {} } = {}) {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'the private Dovecot instance runs as root (it switches to the mail user itself)';
  }
  if (dovecotImapInstalled()) return null;
  if (!install) return `${IMAP_BIN} is missing (apt-get install -y dovecot-imapd)`;
  log('installing Debian package dovecot-imapd (apt-get install -y dovecot-imapd) ...');
  const failed = aptInstall('dovecot-imapd');
  if (failed) return failed;
  return dovecotImapInstalled() ? null : 'apt-get install dovecot-imapd finished but dovecot, imap or dovecot-lda is missing';
}

export function dovecotVersion() {
  return execFileSync(DOVECOT_BIN, ['--version'], { encoding: 'utf8' }).trim();
}

function dovecotConf(o) {
  const cleartext = o.major > 2 || (o.major === 2 && o.minor >= 4) ? 'auth_allow_cleartext = yes' : 'disable_plaintext_auth = no';
  return `${[
    '# Private Dovecot instance written by bench/imap/dovecot.mjs; deleted when it stops.',
    'protocols = imap',
    'listen = 127.0.0.1',
    `base_dir = ${o.root}/run`,
    `state_dir = ${o.root}/state`,
    `log_path = ${o.root}/dovecot.log`,
    `info_log_path = ${o.root}/dovecot.log`,
    ...(o.tls ? ['ssl = yes', `ssl_cert = <${o.tls.certFile}`, `ssl_key = <${o.tls.keyFile}`] : ['ssl = no']),
    cleartext,
    'auth_mechanisms = plain login',
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${o.root}/passwd\n}`,
    `userdb {\n  driver = passwd-file\n  args = username_format=%u ${o.root}/passwd\n}`,
    `mail_location = maildir:${o.root}/mail/%u`,
    // The LDA needs a postmaster address for bounces it will never send here.
    'postmaster_address = postmaster@bench.test',
    'namespace inbox {\n  inbox = yes\n  separator = /\n}',
    `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${o.port}\n  }\n  inet_listener imaps {\n    address = 127.0.0.1\n    port = ${o.tls ? o.tlsPort : 0}\n  }\n}`,
    // The benchmark's 10 concurrent clients and the tests stay well under the default limit of 10
    // per user and IP; raised so a slow LOGOUT of a previous loop never refuses the next LOGIN.
    'mail_max_userip_connections = 50',
  ].join('\n')}\n`;
}

/**
 * Starts `dovecot -F -c <root>/dovecot.conf`. users: [{ name, password, passwordHash? }] — each
 * gets the Maildir <root>/mail/<name>, owned by `nobody` (every user's mail uid here).
 * passwordHash: an argon2id PHC string, stored as {ARGON2ID} so Dovecot verifies the same hash
 * Correio does; else the password is stored {PLAIN}. tls: { certFile, keyFile } offers STARTTLS
 * and implicit TLS (tlsPort) with that pair (the system tests' control run); plain LOGIN stays
 * allowed either way.
 */
export async function startDovecotImap({ users, prefix = 'correio-dovecot-imap-', tls } = {}) {
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
    /** Stops the master (and with it every imap process) and starts it again: no process state survives. */
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
    await writeFile(conf, dovecotConf({ root, port, tlsPort, major, minor, tls }));
    await launch();
  } catch (err) {
    const text = `${out}\n${await instance.log()}`;
    await instance.stop();
    throw new Error(`could not start Dovecot: ${err.message}\n${text.slice(-3000)}`);
  }
  return instance;
}
