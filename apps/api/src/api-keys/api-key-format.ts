import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_PREFIX } from '@correio/contracts';

/**
 * The key format: `cor_<prefix>_<secret>` (GitHub's `ghp_…` / Stripe's `sk_live_…` style): the fixed
 * `cor_` start lets secret scanners and grep find a leaked key; the prefix (public, unique) names
 * the key in lists and logs; the secret is 256 random bits. Both parts are base62 so the whole key
 * is one "word" (double-click selects it, no URL or shell escaping needed).
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX_CHARS = 10; // ~59.5 bits: unique by construction in practice, checked by a unique index
const SECRET_CHARS = 43; // ~256 bits
const KEY_PATTERN = /^cor_([0-9A-Za-z]{10})_([0-9A-Za-z]{43})$/;

/** Uniform base62 text from the OS's CSPRNG (rejection sampling: bytes ≥ 248 would bias the result). */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += ALPHABET[b % 62];
    }
  }
  return out;
}

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: string;
}

/**
 * SHA-256 of the whole key. A slow password hash (argon2) protects guessable secrets; a key is 256
 * random bits, so a fast hash already makes the stored value useless to a thief, and the lookup of
 * every request stays one indexed equality (no per-request KDF).
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): NewApiKey {
  const prefix = randomBase62(PREFIX_CHARS);
  const key = `${API_KEY_PREFIX}${prefix}_${randomBase62(SECRET_CHARS)}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** True when the text has the shape of one of our keys (anything else is refused without a query). */
export function isApiKeyShaped(text: string): boolean {
  return KEY_PATTERN.test(text);
}
