import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from 'imapflow/lib/handler/imap-handler.js';
import { parseBodystructure, parseEnvelope } from 'imapflow/lib/tools.js';
import { describe, expect, test } from 'vitest';
import { encodeValues } from '../encode-value';
import type { BodyPart } from '../message-types';
import { computeMessageStructure } from './compute-structure';
import { decodeEncodedWords } from './encoded-words';
import { decodeParameter } from './params';
import { bodyStructureValue, envelopeValue } from './values';

/**
 * A real client's view: our BODYSTRUCTURE and ENVELOPE, encoded by encode-value.ts, read back by
 * imapflow's response parser and BODYSTRUCTURE reader. The part numbers, types, sizes and decoded
 * file names it finds must be those of our tree.
 */
interface FlowNode {
  part?: string;
  type: string;
  size?: number;
  encoding?: string;
  lineCount?: number;
  parameters?: Record<string, string>;
  dispositionParameters?: Record<string, string>;
  childNodes?: FlowNode[];
}

type Flat = { part: string; type: string; size?: number; encoding?: string; lines?: number; name?: string; filename?: string };

function flattenFlow(node: FlowNode, out: Flat[] = []): Flat[] {
  const isMultipart = node.type.startsWith('multipart/');
  out.push({
    part: node.part ?? '',
    type: node.type,
    ...(isMultipart
      ? {}
      : {
          size: node.size ?? 0,
          encoding: node.encoding,
          lines: node.lineCount,
          name: node.parameters?.name,
          filename: node.dispositionParameters?.filename,
        }),
  });
  // imapflow numbers a message/rfc822's encapsulated root like the wrapper, its parts below it.
  for (const child of node.childNodes ?? []) flattenFlow(child, out);
  return out;
}

function flattenOurs(part: BodyPart, number: string, out: Flat[] = []): Flat[] {
  const isMultipart = part.children !== undefined;
  const type = `${part.type}/${part.subtype}`;
  const hasLines = part.type === 'text' || (part.message !== undefined && part.subtype === 'rfc822');
  out.push({
    part: number,
    type,
    ...(isMultipart
      ? {}
      : {
          size: part.size,
          encoding: part.encoding,
          lines: hasLines ? (part.lines ?? 0) : undefined,
          name: decodeParameter(part.params, 'name'),
          filename: part.disposition ? decodeParameter(part.disposition.params, 'filename') : undefined,
        }),
  });
  part.children?.forEach((child, i) => {
    flattenOurs(child, number === '' ? String(i + 1) : `${number}.${i + 1}`, out);
  });
  if (part.message && part.subtype === 'rfc822') flattenOurs(part.message.body, number, out);
  return out;
}

async function readBack(raw: Buffer) {
  const structure = computeMessageStructure(raw);
  const line = Buffer.concat([
    Buffer.from('* 1 FETCH '),
    encodeValues(
      [[{ atom: 'BODYSTRUCTURE' }, bodyStructureValue(structure.body, true), { atom: 'ENVELOPE' }, envelopeValue(structure.envelope)]],
      { utf8: true },
    ),
  ]);
  const response = await parser(line);
  const items = response.attributes?.[1] as unknown as { value: string }[];
  return {
    structure,
    body: parseBodystructure(items[1] as never) as unknown as FlowNode,
    envelope: parseEnvelope(items[3] as never),
  };
}

const dir = path.join(__dirname, 'fixtures');

describe('imapflow reads what we send', () => {
  test.each(readdirSync(dir).filter((f) => f.endsWith('.eml')))('%s', async (name) => {
    const raw = readFileSync(path.join(dir, name));
    const { structure, body, envelope } = await readBack(raw);
    const ours = flattenOurs(structure.body, '');
    expect(flattenFlow(body)).toEqual(ours);
    if (name === 'nested-rfc822.eml')
      expect(ours.map((p) => `${p.part}:${p.type}`).join(' ')).toBe(
        ':multipart/mixed 1:text/plain 2:message/rfc822 2:multipart/alternative 2.1:text/plain 2.2:text/html 3:message/rfc822 3:text/plain',
      );
    if (name === 'rfc2231.eml') expect(ours[1]).toMatchObject({ name: 'relátorio final version€.bin', filename: 'relátorio.bin' });
    expect(envelope.subject ?? null).toBe(
      structure.envelope.subject === null ? null : decodeEncodedWords(structure.envelope.subject) || null,
    );
    expect(envelope.messageId ?? null).toBe(structure.envelope.messageId);
    const from = structure.envelope.from?.[0];
    expect(envelope.from?.[0]?.address).toBe(from ? `${from.mailbox}@${from.host}` : undefined);
  });
});
