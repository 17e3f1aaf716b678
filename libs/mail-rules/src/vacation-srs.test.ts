import { describe, expect, it } from 'vitest';
import { parseHeaderFields } from './header-fields';
import { srsForward, srsReverse } from './srs';
import { vacationSubject, vacationVerdict } from './vacation';

const on = { enabled: true, subject: '', message: 'Away', days: 7, startsAt: null, endsAt: null };
const base = {
  envelopeFrom: 'bob@remote.example',
  ownAddresses: ['me@here.example'],
  recipients: ['me@here.example'],
  now: new Date('2026-12-13T12:00:00Z'),
};
const headers = (h: string) => parseHeaderFields(Buffer.from(`${h}\r\n\r\nbody`));

describe('vacationVerdict (RFC 3834 / RFC 5230)', () => {
  it.each([
    ['a person writing to me', {}, 'From: bob@remote.example', true],
    ['the null sender <>', { envelopeFrom: '' }, 'From: x@y', false],
    ['my own address', { envelopeFrom: 'me@here.example' }, 'From: me@here.example', false],
    ['a list (List-Id)', {}, 'List-Id: <l.example>', false],
    ['a list (List-Unsubscribe)', {}, 'List-Unsubscribe: <mailto:x@y>', false],
    ['Precedence: bulk', {}, 'Precedence: bulk', false],
    ['Precedence: junk', {}, 'Precedence: junk', false],
    ['Precedence: list', {}, 'Precedence: list', false],
    ['Auto-Submitted: auto-replied', {}, 'Auto-Submitted: auto-replied', false],
    ['Auto-Submitted: auto-generated', {}, 'Auto-Submitted: auto-generated', false],
    ['Auto-Submitted: no', {}, 'Auto-Submitted: no', true],
    ['MAILER-DAEMON', { envelopeFrom: 'MAILER-DAEMON@remote.example' }, 'From: x@y', false],
    ['owner-list', { envelopeFrom: 'owner-dev@lists.example' }, 'From: x@y', false],
    ['a Bcc copy (I am not in To/Cc)', { recipients: ['other@here.example'] }, 'From: bob@remote.example', false],
  ] as const)('%s → reply %s', (_name, over, h, reply) => {
    expect(vacationVerdict(on, { ...base, ...over, headers: headers(h) }).reply).toBe(reply);
  });

  it('only between its dates, and never when off', () => {
    const m = { ...base, headers: headers('From: b@r') };
    expect(vacationVerdict({ ...on, startsAt: new Date('2026-12-14T00:00:00Z') }, m).reply).toBe(false);
    expect(vacationVerdict({ ...on, endsAt: new Date('2026-12-13T00:00:00Z') }, m).reply).toBe(false);
    expect(vacationVerdict({ ...on, startsAt: new Date('2026-12-13T00:00:00Z'), endsAt: new Date('2026-12-14T00:00:00Z') }, m).reply).toBe(
      true,
    );
    expect(vacationVerdict({ ...on, enabled: false }, m).reply).toBe(false);
  });

  it('subject: the set one, else "Auto: " and the original', () => {
    expect(vacationSubject(on, 'Re: Lunch?')).toBe('Auto: Lunch?');
    expect(vacationSubject({ ...on, subject: 'Away' }, 'Lunch?')).toBe('Away');
  });
});

describe('SRS0', () => {
  const now = new Date('2026-12-13T12:00:00Z');
  it('rewrites and reverses, refusing a forged hash and an old address', () => {
    const srs = srsForward('bob@remote.example', 'here.example', 'secret', now);
    expect(srs).toMatch(/^SRS0=[^=]{4}=[A-Z2-7]{2}=remote\.example=bob@here\.example$/);
    expect(srsReverse(srs, 'secret', now)).toEqual({ ok: true, address: 'bob@remote.example' });
    expect(srsReverse(srs.toLowerCase(), 'secret', now)).toEqual({ ok: true, address: 'bob@remote.example' });
    expect(srsReverse(srs, 'other secret', now).ok).toBe(false);
    expect(srsReverse(srs, 'secret', new Date(now.getTime() + 30 * 86_400_000))).toEqual({ ok: false, why: 'SRS address expired' });
    expect(srsReverse('bob@here.example', 'secret', now).ok).toBe(false);
  });
  it('leaves <> and our own domain alone', () => {
    expect(srsForward('', 'here.example', 's', now)).toBe('');
    expect(srsForward('me@here.example', 'here.example', 's', now)).toBe('me@here.example');
  });
});
