// A private Dovecot POP3 instance for the benchmarks: its own config, base_dir, state_dir, log and
// Maildirs under one temp directory, pop3 only, on a free port of 127.0.0.1. The system's Dovecot
// (if the package started one) is never touched: this instance shares no directory or port with it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aptInstall, freePort, userIds, waitForPort } from './harness.mjs';

export const DOVECOT_BIN = '/usr/sbin/dovecot';
const POP3_BIN = '/usr/lib/dovecot/pop3';

export function dovecotInstalled() {
  return existsSync(DOVECOT_BIN) && existsSync(POP3_BIN);
}

/**
 * Makes sure Debian's dovecot-pop3d is installed (installs it when missing and we are root).
 * Returns null when usable, else the reason it is not. Waits for another apt-get's lock (up to 3 min).
 */
export async function ensureDovecot({ install = true, log = () => {} } = {}) {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'the private Dovecot instance runs as root (it switches to the mail user itself)';
  }
  if (dovecotInstalled()) return null;
  if (!install) return `${DOVECOT_BIN} is missing (apt-get install -y dovecot-pop3d)`;
  log('installing Debian package dovecot-pop3d (apt-get install -y dovecot-pop3d) ...');
  const failed = aptInstall('dovecot-pop3d');
  if (failed) return failed;
  return dovecotInstalled() ? null : 'apt-get install dovecot-pop3d finished but dovecot or its pop3 binary is missing';
}

export function dovecotVersion() {
  return execFileSync(DOVECOT_BIN, ['--version'], { encoding: 'utf8' }).trim();
}

function dovecotConf(o) {
  // Settings that differ from Dovecot 2.3's built-in defaults only where the private instance needs it.
  const cleartext = o.major > 2 || (o.major === 2 && o.minor >= 4) ? 'auth_allow_cleartext = yes' : 'disable_plaintext_auth = no';
  return `${[
    '# Private Dovecot instance written by bench/lib/dovecot.mjs; deleted when it stops.',
    'protocols = pop3',
    'listen = 127.0.0.1',
    `base_dir = ${o.root}/run`,
    `state_dir = ${o.root}/state`,
    `log_path = ${o.root}/dovecot.log`,
    `info_log_path = ${o.root}/dovecot.log`,
    'ssl = no',
    cleartext,
    'auth_mechanisms = plain',
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${o.root}/passwd\n}`,
    `userdb {\n  driver = passwd-file\n  args = username_format=%u ${o.root}/passwd\n}`,
    `mail_location = maildir:${o.root}/mail/%u`,
    'pop3_uidl_format = %08Xu%08Xv',
    `service pop3-login {\n  inet_listener pop3 {\n    address = 127.0.0.1\n    port = ${o.port}\n  }\n}`,
    // No stats/anvil sockets outside base_dir; nothing else listens.
  ].join('\n')}\n`;
}

/**
 * Starts `dovecot -F -c <root>/dovecot.conf`. users: [{ name, password, passwordHash? }]; every user
 * gets the Maildir <root>/mail/<name> (cur/ new/ tmp/), owned by `nobody` (the instance's mail_uid
 * for every user). passwordHash: an argon2id PHC string ("$argon2id$v=19$..."), stored as
 * {ARGON2ID}, so Dovecot verifies the same hash another server does; else the password is stored
 * {PLAIN}.
 */
export async function startDovecot({ users, prefix = 'correio-dovecot-' } = {}) {
  const port = await freePort();
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  const owner = (await userIds('nobody')) ?? { uid: 65534, gid: 65534 };
  const [major, minor] = dovecotVersion().split('.').map(Number);
  let child;
  let out = '';
  let exited;

  const instance = {
    root,
    port,
    uid: owner.uid,
    gid: owner.gid,
    maildir: (user) => path.join(root, 'mail', user),
    async log() {
      try {
        return await readFile(path.join(root, 'dovecot.log'), 'utf8');
      } catch {
        return out;
      }
    },
    /** SIGTERM to the master (it stops its children), then delete the directory. */
    async stop({ keepFiles = false } = {}) {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(t);
      }
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
    await writeFile(path.join(root, 'dovecot.conf'), dovecotConf({ root, port, major, minor }));
    child = spawn(DOVECOT_BIN, ['-F', '-c', path.join(root, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    instance.pid = child.pid;
    await waitForPort(port, 30_000, { name: 'Dovecot', isAlive: () => child.exitCode === null && child.signalCode === null });
  } catch (err) {
    const text = `${out}\n${await instance.log()}`;
    await instance.stop();
    throw new Error(`could not start Dovecot: ${err.message}\n${text.slice(-3000)}`);
  }
  return instance;
}
