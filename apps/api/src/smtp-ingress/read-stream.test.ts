import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readStream } from './read-stream.js';

describe('readStream', () => {
  it('joins every chunk in order', async () => {
    const s = new PassThrough();
    const read = readStream(s);
    s.write(Buffer.from('Subject: a\r\n'));
    s.write(Buffer.from('\r\nbody\r\n'));
    s.end();
    expect((await read).toString()).toBe('Subject: a\r\n\r\nbody\r\n');
  });

  it('gives an empty buffer for an empty stream, and one chunk as it is', async () => {
    const empty = new PassThrough();
    const r1 = readStream(empty);
    empty.end();
    expect((await r1).length).toBe(0);
    const one = new PassThrough();
    const r2 = readStream(one);
    one.end(Buffer.from('x'));
    expect((await r2).toString()).toBe('x');
  });

  it('fails on a stream error and on a stream destroyed before its end', async () => {
    const failing = new PassThrough();
    const r1 = readStream(failing);
    failing.destroy(new Error('boom'));
    await expect(r1).rejects.toThrow('boom');
    const cut = new PassThrough();
    const r2 = readStream(cut);
    cut.write('partial');
    cut.destroy();
    await expect(r2).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
