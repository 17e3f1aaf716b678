import { describe, expect, it } from 'vitest';
import type { ResponseWriter } from '../../command-context.js';
import type { FetchPiece } from './fetch-piece.js';
import { writeFetchResponse } from './fetch-writer.js';

// The streamed FETCH response keeps its literal framing even when the blob store fails mid-read.

function collector(): { out: ResponseWriter; wire: () => string } {
  const bytes: Buffer[] = [];
  const out = {
    untaggedValues: () => {
      throw new Error('not expected');
    },
    async untaggedStream(prefix: Buffer, body: AsyncIterable<Buffer>, suffix: Buffer) {
      bytes.push(prefix);
      for await (const chunk of body) bytes.push(chunk);
      bytes.push(suffix);
    },
  } as unknown as ResponseWriter;
  return { out, wire: () => Buffer.concat(bytes).toString('latin1') };
}

const stream = (size: number, read: () => AsyncIterable<Buffer>): FetchPiece => ({
  kind: 'stream',
  name: 'BODY[]',
  size,
  isBinary: false,
  read,
});

describe('writeFetchResponse', () => {
  it('writes several streamed literals with the values between them', async () => {
    const { out, wire } = collector();
    const pieces: FetchPiece[] = [
      { kind: 'value', name: 'UID', value: 7 },
      stream(3, async function* () {
        yield Buffer.from('ab');
        yield Buffer.from('c');
      }),
      { kind: 'value', name: 'FLAGS', value: [{ atom: '\\Seen' }] },
      {
        ...stream(2, async function* () {
          yield Buffer.from('xy');
        }),
        name: 'BODY[1]',
      },
    ];
    await writeFetchResponse(out, 4, pieces, false);
    expect(wire()).toBe('* 4 FETCH (UID 7 BODY[] {3}\r\nabc FLAGS (\\Seen) BODY[1] {2}\r\nxy)\r\n');
  });

  it('pads a literal whose read fails part-way, ends the response, then throws', async () => {
    const { out, wire } = collector();
    const failing = stream(6, async function* () {
      yield Buffer.from('abc');
      throw new Error('blob store gone');
    });
    await expect(writeFetchResponse(out, 1, [failing, { kind: 'value', name: 'UID', value: 1 }], false)).rejects.toThrow('blob store gone');
    expect(wire()).toBe('* 1 FETCH (BODY[] {6}\r\nabc    UID 1)\r\n');
  });
});
