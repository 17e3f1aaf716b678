import { describe, expect, it } from 'vitest';
import { CreateApiKeyRequest } from './api-keys';

const errorPaths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => i.path.join('.'));

describe('CreateApiKeyRequest', () => {
  it.each([
    [{ name: 'CRM', scopes: ['mail:read'] }, { name: 'CRM', scopes: ['mail:read'] }],
    [{ name: '  CRM  ', scopes: ['mail:send', 'admin'], expiresAt: null }, { name: 'CRM', scopes: ['mail:send', 'admin'], expiresAt: null }],
    [
      { name: 'x', scopes: ['mail:write'], expiresAt: '2027-01-01T00:00:00+01:00' },
      { name: 'x', scopes: ['mail:write'], expiresAt: '2027-01-01T00:00:00+01:00' },
    ],
  ])('%j → %j', (input, parsed) => {
    expect(CreateApiKeyRequest.parse(input)).toEqual(parsed);
  });

  it.each([
    [{ name: '', scopes: ['mail:read'] }, 'name'],
    [{ name: 'x'.repeat(101), scopes: ['mail:read'] }, 'name'],
    [{ name: 'x', scopes: [] }, 'scopes'],
    [{ name: 'x', scopes: ['mail:read', 'mail:read'] }, 'scopes'],
    [{ name: 'x', scopes: ['everything'] }, 'scopes.0'],
    [{ name: 'x', scopes: ['mail:read'], expiresAt: '2027-01-01' }, 'expiresAt'],
  ])('%j is refused, naming %s', (input, path) => {
    const r = CreateApiKeyRequest.safeParse(input);
    expect(r.success).toBe(false);
    expect(errorPaths(r)).toEqual([path]);
  });
});
