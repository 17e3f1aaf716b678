import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pems = await generate([{ name: 'commonName', value: config.hostname }], {
      keySize: 2048,
      notAfterDate: new Date(Date.now() + 825 * 86_400_000), // the CA/Browser Forum's old maximum
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: config.hostname }, { type: 7, ip: '127.0.0.1' }] }],
    });
    // Key first and private: a crash between the two writes leaves no usable half pair behind.
    writeFileSync(keyFile, pems.private, { mode: 0o600 });
    writeFileSync(certFile, pems.cert);
  }
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), source: 'self-signed', certFile };
}
