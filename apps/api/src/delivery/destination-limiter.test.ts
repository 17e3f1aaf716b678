import { describe, expect, it } from 'vitest';
import { DestinationLimiter } from './destination-limiter.js';

describe('DestinationLimiter', () => {
  it('caps each domain and the total, and serves another domain while one is full', async () => {
    const l = new DestinationLimiter(3, 2);
    const order: string[] = [];
    await l.acquire('slow.example');
    await l.acquire('slow.example');
    const third = l.acquire('slow.example').then(() => order.push('slow#3'));
    expect(l.saturated()).toEqual(['slow.example']);
    await l.acquire('fast.example'); // total 3 now
    order.push('fast#1');
    const fourth = l.acquire('fast.example').then(() => order.push('fast#2'));
    l.release('fast.example'); // frees a total slot: slow is still full, so fast#2 runs
    await fourth;
    l.release('slow.example');
    await third;
    expect(order).toEqual(['fast#1', 'fast#2', 'slow#3']);
    l.release('slow.example');
    l.release('slow.example');
    l.release('fast.example');
    expect(l.saturated()).toEqual([]);
  });
});
