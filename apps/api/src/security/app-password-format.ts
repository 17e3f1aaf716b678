import { randomInt } from 'node:crypto';

/**
 * App passwords look like Google's: 16 lowercase letters shown in four groups ("abcd efgh ijkl
 * mnop"); clients may send them with or without the spaces (or dashes), in any case. Letters only,
 * so they survive being typed on a phone. The first PREFIX_LENGTH letters are stored in clear as a
 * lookup key: a login finds its one row by it and verifies one argon2 hash, whatever the number
 * of app passwords (IMAP/POP3 logins are benchmarked). 16 letters carry ~75 bits; the 10 letters
 * after the public prefix still cost 26^10 argon2 verifies to guess offline.
 */
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const LENGTH = 16;
export const PREFIX_LENGTH = 6;

export interface NewAppPassword {
  /** As shown to the person, grouped by four. */
  display: string;
  /** The normalized form (what is hashed). */
  normalized: string;
  prefix: string;
}

export function generateAppPassword(): NewAppPassword {
  let normalized = '';
  for (let i = 0; i < LENGTH; i++) normalized += LETTERS[randomInt(LETTERS.length)];
  return { display: normalized.match(/.{4}/g)!.join(' '), normalized, prefix: normalized.slice(0, PREFIX_LENGTH) };
}

/** The normalized password and its prefix when `raw` has an app password's shape, else undefined. */
export function parseAppPassword(raw: string): { normalized: string; prefix: string } | undefined {
  if (raw.length > 40) return undefined;
  const normalized = raw.replace(/[\s-]/g, '').toLowerCase();
  if (!/^[a-z]{16}$/.test(normalized)) return undefined;
  return { normalized, prefix: normalized.slice(0, PREFIX_LENGTH) };
}
