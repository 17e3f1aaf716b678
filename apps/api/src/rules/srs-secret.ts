import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The SRS secret: configured (CORREIO_SRS_SECRET, the same in every process and instance that
 * receives bounces for a domain), or made once under the data directory and kept there, so SRS
 * addresses handed out before a restart still reverse after it.
 */
export function loadSrsSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'srs-secret');
  try {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 16) return s;
  } catch {
    // not made yet
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(24).toString('base64url');
  // 'wx': two processes starting together keep the first one's secret.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
}
