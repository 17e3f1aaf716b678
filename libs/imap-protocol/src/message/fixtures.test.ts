import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { computeMessageStructure } from './compute-structure';
import { sectionSpec } from './fixtures/section-spec';
import { wireText } from './fixtures/wire-text';
import { filterHeaderFields } from './header-fields';
import { sectionRange } from './sections';
import { bodyStructureValue, envelopeValue } from './values';

/**
 * Each fixtures/NAME.eml has NAME.json beside it: the BODYSTRUCTURE, BODY and ENVELOPE a client
 * receives (strings shown quoted) and chosen BODY[section]s (null: the part does not exist).
 * The expectations were checked by hand against RFC 9051 §7.5.2 and Dovecot's output rules.
 */
interface Expected {
  bodystructure: string;
  body: string;
  envelope: string;
  sections: Record<string, string | null>;
}

const dir = path.join(__dirname, 'fixtures');
const names = readdirSync(dir).filter((f) => f.endsWith('.eml'));

describe('fixtures', () => {
  test('there are fixtures', () => expect(names.length).toBeGreaterThanOrEqual(10));

  describe.each(names)('%s', (name) => {
    const raw = readFileSync(path.join(dir, name));
    const expected = JSON.parse(readFileSync(path.join(dir, name.replace(/\.eml$/, '.json')), 'utf8')) as Expected;
    const structure = computeMessageStructure(raw);

    test('BODYSTRUCTURE, BODY and ENVELOPE', () => {
      expect(wireText(bodyStructureValue(structure.body, true))).toBe(expected.bodystructure);
      expect(wireText(bodyStructureValue(structure.body, false))).toBe(expected.body);
      expect(wireText(envelopeValue(structure.envelope))).toBe(expected.envelope);
    });

    test('the kept structure survives JSON', () => {
      expect(JSON.parse(JSON.stringify(structure))).toEqual(structure);
    });

    test.each(Object.entries(expected.sections))('BODY[%s]', (section, text) => {
      const range = sectionRange(structure, sectionSpec(section));
      if (range === null) return expect(text).toBeNull();
      const bytes = raw.subarray(range.start, range.end);
      const out = range.headerFields ? filterHeaderFields(bytes, range.headerFields.fields, range.headerFields.not) : bytes;
      expect(out.toString('utf8')).toBe(text);
    });
  });
});
