import { randomBytes } from 'node:crypto';

/** 120 random bits as 20 URL-safe characters: shown once to the admin, then only its hash exists. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
