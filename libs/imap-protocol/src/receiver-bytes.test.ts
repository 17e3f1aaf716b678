import { describe, expect, it } from 'vitest';
import { ByteQueue } from './receiver-bytes';

describe('ByteQueue', () => {
  it('finds LF across chunks and takes lines and slices', () => {
    const q = new ByteQueue();
    q.push(Buffer.from('ab'));
    expect(q.indexOfLf()).toBe(-1);
    q.push(Buffer.from('c\r'));
    expect(q.indexOfLf()).toBe(-1);
    q.push(Buffer.from('\nde\nf'));
    expect(q.indexOfLf()).toBe(4);
    expect(q.take(5).toString()).toBe('abc\r\n');
    expect(q.indexOfLf()).toBe(2);
    expect(q.takeChunks(2).map(String)).toEqual(['de']);
    expect(q.take(1).toString()).toBe('\n');
    expect(q.length).toBe(1);
    expect(q.peek(10).toString()).toBe('f');
    q.clear();
    expect(q.length).toBe(0);
    expect(q.indexOfLf()).toBe(-1);
  });

  it('stays linear with one-byte chunks', () => {
    const q = new ByteQueue();
    const started = performance.now();
    for (let i = 0; i < 200_000; i++) {
      q.push(Buffer.from(i % 1000 === 999 ? '\n' : 'x'));
      const lf = q.indexOfLf();
      if (lf >= 0) expect(q.take(lf + 1).length).toBe(1000);
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
