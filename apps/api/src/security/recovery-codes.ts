import { createHash, randomInt } from 'node:crypto';

/**
 * Recovery codes: ten per account, each `xxxxx-xxxxx` from 31 letters and digits without look-alikes
 * (~49.5 random bits). Stored as SHA-256: like API keys, a random secret of that size gains nothing
 * from a slow hash, and checking one stays a single indexed UPDATE.
 */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no i, l, o, 0, 1
export const RECOVERY_CODE_COUNT = 10;

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let s = '';
    for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)];
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}

/** The hash of a code as typed: case, spaces and the dash do not matter. */
export function hashRecoveryCode(raw: string): string {
  return createHash('sha256').update(raw.replace(/[\s-]/g, '').toLowerCase()).digest('hex');
}

/** A TOTP code is six digits (spaces allowed); anything else is tried as a recovery code. */
export function asTotpCode(raw: string): string | undefined {
  const digits = raw.replace(/\s/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
}
