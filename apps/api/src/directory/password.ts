import { Algorithm, hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's 2024 minimum (19 MiB, t=2, p=1): ~25 ms here, cheap enough for login
// bursts on 2 cores, and slow enough to make offline guessing expensive.
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // malformed hash: treat as a mismatch, never as a crash
  }
}

/** A valid hash of a random password: verified against when the account does not exist, so a
 * missing account and a wrong password take the same time (no account enumeration by timing). */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}`);
  return dummyHash;
}
