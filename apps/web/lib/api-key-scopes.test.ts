import { API_KEY_SCOPES } from '@correio/contracts';
import { describe, expect, it } from 'vitest';
import { SCOPE_CHOICES, expiryFromDateInput, tomorrowForDateInput } from './api-key-scopes';

describe('API key settings helpers', () => {
  it('offers every scope of the contract, admin marked admin-only', () => {
    expect(SCOPE_CHOICES.map((c) => c.scope)).toEqual([...API_KEY_SCOPES]);
    expect(SCOPE_CHOICES.filter((c) => c.isAdminOnly).map((c) => c.scope)).toEqual(['admin']);
  });

  it.each([
    ['', null],
    ['2027-13', null],
    ['2027-02-03', new Date(2027, 1, 3, 23, 59, 59, 999).toISOString()],
  ])('date input %j → expiry %j (end of that local day)', (input, expected) => {
    expect(expiryFromDateInput(input)).toBe(expected);
  });

  it('gives tomorrow as the earliest expiry, across a month end', () => {
    expect(tomorrowForDateInput(new Date(2027, 0, 31, 15))).toBe('2027-02-01');
  });
});
