import { describe, expect, it } from 'vitest';
import { type DispatchState, dispatchKey, IDLE, isTypingTarget, keyName, SEQUENCE_MS, SHORTCUT_HELP } from './shortcuts';

const bound = new Set(['j', 'k', 'x', 'shift+i', '#', '?', '/', 'Enter', 'g i', 'g s', 'g d', 'g t']);
const press = (key: string, extra: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; isTyping: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  isTyping: false,
  ...extra,
});

/** Presses keys at the given times; returns the actions run. */
function run(keys: [string, number][], extra = {}): (string | null)[] {
  let state: DispatchState = IDLE;
  return keys.map(([key, at]) => {
    const r = dispatchKey(state, press(key, extra), bound, at);
    state = r.state;
    return r.action;
  });
}

describe('keyName', () => {
  it.each([
    ['j', 'j'],
    ['I', 'shift+i'],
    ['#', '#'],
    ['?', '?'],
    ['Enter', 'Enter'],
    ['Shift', null],
  ])('%s → %s', (key, name) => expect(keyName(key)).toBe(name));
});

describe('dispatchKey', () => {
  it.each([
    ['j', 'j'],
    ['I', 'shift+i'],
    ['#', '#'],
    ['?', '?'],
    ['Enter', 'Enter'],
    ['q', null],
  ])('a single %s runs %s', (key, action) => expect(run([[key, 0]])).toEqual([action]));

  it('runs "g i" as a sequence and nothing on the g', () => {
    expect(
      run([
        ['g', 0],
        ['i', 500],
      ]),
    ).toEqual([null, 'g i']);
    expect(
      run([
        ['g', 0],
        ['t', 10],
      ]),
    ).toEqual([null, 'g t']);
  });

  it('forgets the g after the sequence window; the late key acts on its own', () => {
    expect(
      run([
        ['g', 0],
        ['j', SEQUENCE_MS + 1],
      ]),
    ).toEqual([null, 'j']);
    expect(
      run([
        ['g', 0],
        ['i', SEQUENCE_MS + 1],
      ]),
    ).toEqual([null, null]);
  });

  it('a key that completes no sequence is read on its own', () => {
    expect(
      run([
        ['g', 0],
        ['j', 100],
      ]),
    ).toEqual([null, 'j']);
  });

  it('ignores typing and browser chords, and they cancel a pending sequence', () => {
    expect(run([['j', 0]], { isTyping: true })).toEqual([null]);
    expect(run([['j', 0]], { ctrlKey: true })).toEqual([null]);
    let s = dispatchKey(IDLE, press('g'), bound, 0).state;
    s = dispatchKey(s, press('i', { isTyping: true }), bound, 10).state;
    expect(dispatchKey(s, press('i'), bound, 20).action).toBeNull();
  });

  it('a modifier key alone keeps a pending sequence', () => {
    let s = dispatchKey(IDLE, press('g'), bound, 0).state;
    s = dispatchKey(s, press('Shift'), bound, 10).state;
    expect(dispatchKey(s, press('d'), bound, 20).action).toBe('g d');
  });
});

describe('isTypingTarget', () => {
  const el = (tagName: string, attrs: Record<string, string> = {}, isContentEditable = false) => ({
    tagName,
    isContentEditable,
    getAttribute: (n: string) => attrs[n] ?? null,
  });
  it.each([
    [el('INPUT'), true],
    [el('INPUT', { type: 'search' }), true],
    [el('INPUT', { type: 'checkbox' }), false],
    [el('TEXTAREA'), true],
    [el('DIV', {}, true), true],
    [el('DIV', { role: 'combobox' }), true],
    [el('BUTTON'), false],
    [null, false],
  ])('%o → %s', (target, expected) => expect(isTypingTarget(target)).toBe(expected));
});

describe('SHORTCUT_HELP', () => {
  it('lists every key the issue asks for', () => {
    const keys = SHORTCUT_HELP.map((s) => s.keys);
    for (const k of [
      'j',
      'k',
      'o',
      'Enter',
      'u',
      'e',
      '#',
      's',
      'x',
      'shift+i',
      'shift+u',
      'l',
      'v',
      'g i',
      'g s',
      'g d',
      'g t',
      '/',
      '?',
    ]) {
      expect(keys).toContain(k);
    }
  });
});
