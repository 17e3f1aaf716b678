import { describe, expect, it } from 'vitest';
import { formatBytes, parseQuota } from './admin-format';

describe('admin quota text', () => {
  it('reads sizes the way an admin writes them, 0 for unlimited, null for anything else', () => {
    expect(parseQuota('2 GB')).toBe(String(2 * 1024 ** 3));
    expect(parseQuota('500mb')).toBe(String(500 * 1024 ** 2));
    expect(parseQuota('1.5 KB')).toBe('1536');
    expect(parseQuota('0')).toBe('0');
    expect(parseQuota('12345')).toBe('12345');
    expect(parseQuota('lots')).toBeNull();
    expect(parseQuota('-1 GB')).toBeNull();
    expect(parseQuota('')).toBeNull();
  });

  it('shows byte counts (BIGINT strings) in the largest fitting unit and reads back what it shows', () => {
    expect(formatBytes('0')).toBe('0 B');
    expect(formatBytes('1')).toBe('1 B');
    expect(formatBytes('1536')).toBe('1.5 KB');
    expect(formatBytes(String(2 * 1024 ** 3))).toBe('2.0 GB');
    expect(formatBytes(String(500 * 1024 ** 2))).toBe('500 MB');
    expect(parseQuota(formatBytes(String(500 * 1024 ** 2)))).toBe(String(500 * 1024 ** 2));
  });
});
