import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppConfig } from '../config/config.schema.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('self-signed TLS material', () => {
  // Separate module instances stand for separate processes (CORREIO_WORKERS, parallel test apps)
  // starting on one data folder: each has its own cache, so each would generate.
  it('gives every concurrent starter the same matching pair', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'correio-tls-'));
    dirs.push(dataDir);
    const config = { dataDir, hostname: 'mx.test', tls: {} } as unknown as AppConfig;
    const loads = [];
    for (let i = 0; i < 4; i++) {
      vi.resetModules();
      const { loadTlsMaterial } = await import('./tls-material.js');
      loads.push(loadTlsMaterial(config));
    }
    const got = await Promise.all(loads);
    const first = got[0]!;
    for (const m of got) {
      expect(m.source).toBe('self-signed');
      expect(m.key.equals(first.key)).toBe(true);
      expect(m.cert.equals(first.cert)).toBe(true);
    }
    const fromKey = createPublicKey(first.key).export({ type: 'spki', format: 'pem' });
    const fromCert = new X509Certificate(first.cert).publicKey.export({ type: 'spki', format: 'pem' });
    expect(fromCert).toBe(fromKey);
    expect(() => createSecureContext({ key: first.key, cert: first.cert })).not.toThrow();
    // Nothing left behind: no lock, no temporary files.
    expect(readdirSync(path.join(dataDir, 'tls')).sort()).toEqual(['selfsigned-cert.pem', 'selfsigned-key.pem']);
  }, 60_000);
});
