import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { SortCriterion } from '../command-types';
import { computeMessageStructure } from '../message/compute-structure';
import { headerValue, scanHeaderBlock } from '../message/header-block';
import { threadByOrderedSubject } from './ordered-subject';
import { threadByReferences } from './references';
import { sortMessages } from './sort';
import { parseReferences, sortFieldsFromEnvelope } from './sort-fields';
import type { SortInput } from './thread-types';
import { threadValue } from './thread-value';

/**
 * SORT and THREAD against Dovecot 2.3.19's answers for the same 20 messages
 * (fixtures/dovecot-sort-thread.json): replies by References and In-Reply-To, a missing parent,
 * duplicate and missing Message-IDs, a reference loop, Re:/Fwd:/[blob]/(fwd)/[fwd: ...] subjects,
 * an encoded-word subject and name, an unparsable Date, a group as From. The inputs go through the
 * whole pipeline the server uses: computeMessageStructure → sortFieldsFromEnvelope.
 */
const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'dovecot-sort-thread.json'), 'utf8')) as {
  messages: { raw: string; internalDate: number }[];
  answers: Record<string, string>;
};

const inputs: SortInput[] = fixture.messages.map((m, i) => {
  const raw = Buffer.from(m.raw, 'utf8');
  const structure = computeMessageStructure(raw);
  const header = scanHeaderBlock(raw, 0, raw.length, 64 * 1024);
  return {
    uid: i + 1,
    internalDate: new Date(m.internalDate),
    size: raw.length,
    references: parseReferences(headerValue(header.fields, 'references')),
    ...sortFieldsFromEnvelope(structure.envelope),
  };
});

function criteria(text: string): SortCriterion[] {
  const out: SortCriterion[] = [];
  let reverse = false;
  for (const word of text.split(' ')) {
    if (word === 'REVERSE') reverse = true;
    else {
      out.push({ key: word as SortCriterion['key'], reverse });
      reverse = false;
    }
  }
  return out;
}

describe('same SORT and THREAD answers as Dovecot', () => {
  test('THREAD REFERENCES', () => {
    expect(`* THREAD ${threadValue(threadByReferences(inputs))}`).toBe(fixture.answers['thread references utf-8 all']);
  });

  test('THREAD ORDEREDSUBJECT', () => {
    expect(`* THREAD ${threadValue(threadByOrderedSubject(inputs))}`).toBe(fixture.answers['thread orderedsubject utf-8 all']);
  });

  const sorts = Object.keys(fixture.answers).filter((k) => !k.startsWith('thread'));
  test.each(sorts)('SORT (%s)', (keys) => {
    expect(`* SORT ${sortMessages(inputs, criteria(keys)).join(' ')}`).toBe(fixture.answers[keys]);
  });
});
