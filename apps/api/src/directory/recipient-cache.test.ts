import { describe, expect, it } from 'vitest';
import { RecipientCache } from './recipient-cache.js';

describe('RecipientCache', () => {
  const local = { kind: 'local', accountIds: ['1'], forwards: [], overQuota: [] };

  it('answers a deliverable resolution until its time is up', () => {
    let now = 1_000;
    const c = new RecipientCache(5_000, 10, () => now);
    c.offer('joel@ifsc.edu', local);
    expect(c.get('joel@ifsc.edu')).toEqual(local);
    now += 4_999;
    expect(c.get('joel@ifsc.edu')).toEqual(local);
    now += 1;
    expect(c.get('joel@ifsc.edu')).toBeUndefined();
  });

  it('never keeps an unknown address, another domain or a full mailbox (looked up every time)', () => {
    const c = new RecipientCache(5_000);
    c.offer('nobody@ifsc.edu', { kind: 'unknown' });
    c.offer('x@gmail.com', { kind: 'remote' });
    c.offer('full@ifsc.edu', { ...local, overQuota: ['1'] });
    expect(c.size).toBe(0);
  });

  it('forgets everything on clear, and the oldest entry when full', () => {
    const c = new RecipientCache(5_000, 2);
    c.offer('a@x.test', local);
    c.offer('b@x.test', local);
    c.offer('c@x.test', local);
    expect([c.get('a@x.test'), c.get('b@x.test'), c.get('c@x.test')].map(Boolean)).toEqual([false, true, true]);
    c.clear();
    expect(c.size).toBe(0);
  });
});
