import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';
import type { AppConfig } from '../config/config.schema.js';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  /** 'configured' (CORREIO_TLS_CERT/KEY) or 'self-signed' (generated under dataDir/tls). */
  source: 'configured' | 'self-signed';
  certFile: string;
}

// One load per data folder and process: SMTP and POP3 share it, so a first start cannot make two
// different self-signed pairs.
const loaded = new Map<string, Promise<TlsMaterial>>();

/**
 * The certificate for STARTTLS and implicit TLS. A real deployment configures its own; without one
 * a self-signed pair for the configured hostname is generated at first start and reused, so clients
 * that pinned it keep working across restarts. Senders on the Internet accept self-signed
 * certificates for opportunistic STARTTLS (RFC 3207 §4.1 leaves the policy to them).
 */
export function loadTlsMaterial(config: AppConfig): Promise<TlsMaterial> {
  const key = `${config.tls.certFile ?? ''}|${config.tls.keyFile ?? ''}|${path.resolve(config.dataDir)}`;
  let p = loaded.get(key);
  if (!p) {
    p = load(config);
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}

async function load(config: AppConfig): Promise<TlsMaterial> {
  if (config.tls.certFile && config.tls.keyFile) {
    return { key: readFileSync(config.tls.keyFile), cert: readFileSync(config.tls.certFile), source: 'configured', certFile: config.tls.certFile };
  }
  const dir = path.resolve(config.dataDir, 'tls');
  const certFile = path.join(dir, 'selfsigned-cert.pem');
  const keyFile = path.join(dir, 'selfsigned-key.pem');
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Several processes may start on one data folder at once (CORREIO_WORKERS, tests): only the one
    // holding the lock generates; the others wait for its pair instead of writing their own over it
    // (a key from one process and a certificate from another fail in OpenSSL's decoder).
    const lock = tryLock(path.join(dir, '.generating'));
    if (lock) {
      try {
        if (!existsSync(certFile) || !existsSync(keyFile)) await generatePair(config, keyFile, certFile);
      } finally {
        lock.release();
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for the self-signed certificate another process is making in ${dir}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), source: 'self-signed', certFile };
}

/** Generating a 2048-bit key takes a second or two; a lock older than this was left by a crash. */
const LOCK_STALE_MS = 60_000;
const LOCK_WAIT_MS = 2 * LOCK_STALE_MS;

/** An exclusive lock file (O_EXCL create), taken over when a crashed holder left it stale. */
function tryLock(file: string): { release: () => void } | undefined {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    try {
      if (Date.now() - statSync(file).mtimeMs > LOCK_STALE_MS) rmSync(file, { force: true });
    } catch {
      // Released between our two calls: try again on the next turn.
    }
    return undefined;
  }
  return { release: () => rmSync(file, { force: true }) };
}

async function generatePair(config: AppConfig, keyFile: string, certFile: string): Promise<void> {
  const pems = await generate([{ name: 'commonName', value: config.hostname }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 825 * 86_400_000), // the CA/Browser Forum's old maximum
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: config.hostname }, { type: 7, ip: '127.0.0.1' }] }],
  });
  // Each file written whole under a temporary name and renamed into place, key first: a reader
  // (or a crash) never sees a half-written file, and a certificate never exists without its key.
  writeWhole(keyFile, pems.private, 0o600);
  writeWhole(certFile, pems.cert, 0o644);
}

function writeWhole(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}
