import { describe, expect, it } from 'vitest';
import { LoginRequest } from './auth';
import { ApiError } from './errors';
import { MessageDetailQuery, MessageListQuery, MoveMessageRequest, UpdateMessageRequest } from './mail';

// The REST contracts are what both the API (validation → 400 with details) and the web client rely
// on. Each row: input → parsed value, or the path the error names.

const errorPaths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => i.path.join('.'));

describe('MessageListQuery (?limit&cursor, query strings are text)', () => {
  it.each([
    [{}, { limit: 50 }],
    [{ limit: '1' }, { limit: 1 }],
    [
      { limit: '200', cursor: 'abc' },
      { limit: 200, cursor: 'abc' },
    ],
  ])('%j → %j', (input, parsed) => {
    expect(MessageListQuery.parse(input)).toEqual(parsed);
  });

  it.each([[{ limit: '0' }], [{ limit: '201' }], [{ limit: 'ten' }], [{ limit: '2.5' }], [{ cursor: 'x'.repeat(201) }]])(
    '%j is refused, naming the field',
    (input) => {
      const r = MessageListQuery.safeParse(input);
      expect(r.success).toBe(false);
      expect(errorPaths(r)).toEqual([Object.keys(input)[0]]);
    },
  );
});

describe('MessageDetailQuery', () => {
  it('blocks remote content unless asked', () => {
    expect(MessageDetailQuery.parse({})).toEqual({ remote: 'block' });
    expect(MessageDetailQuery.parse({ remote: 'allow' })).toEqual({ remote: 'allow' });
    expect(MessageDetailQuery.safeParse({ remote: 'yes' }).success).toBe(false);
  });
});

describe('UpdateMessageRequest', () => {
  it.each([[{ seen: true }], [{ flagged: false }], [{ seen: false, flagged: true }]])('%j is accepted as is', (input) => {
    expect(UpdateMessageRequest.parse(input)).toEqual(input);
  });

  it.each([[{}], [{ seen: 'true' }], [{ flagged: 1 }], [{ seen: null }], [null], ['seen']])('%j is refused', (input) => {
    expect(UpdateMessageRequest.safeParse(input).success).toBe(false);
  });

  it('drops unknown keys (the client cannot set other columns through PATCH)', () => {
    expect(UpdateMessageRequest.parse({ seen: true, deleted: true, mailboxId: '2' })).toEqual({ seen: true });
  });
});

describe('MoveMessageRequest', () => {
  it.each([['1'], ['42'], ['9223372036854775807']])('mailboxId %s is accepted', (mailboxId) => {
    expect(MoveMessageRequest.parse({ mailboxId })).toEqual({ mailboxId });
  });

  it.each([[{}], [{ mailboxId: 7 }], [{ mailboxId: 'Archive' }], [{ mailboxId: '-1' }], [{ mailboxId: '1 OR 1=1' }], [{ mailboxId: '' }]])(
    '%j is refused',
    (input) => {
      const r = MoveMessageRequest.safeParse(input);
      expect(r.success).toBe(false);
      expect(errorPaths(r)).toEqual(['mailboxId']);
    },
  );
});

describe('LoginRequest', () => {
  it('trims the address, keeps the password exactly', () => {
    expect(LoginRequest.parse({ address: '  ana@ifsc.edu ', password: ' pass word ' })).toEqual({
      address: 'ana@ifsc.edu',
      password: ' pass word ',
    });
  });

  it.each([
    [{ address: 'ana@ifsc.edu' }, ['password']],
    [{ address: 'ana@ifsc.edu', password: '' }, ['password']],
    [{ address: ' a ', password: 'x' }, ['address']],
    [{ address: 'a'.repeat(321), password: 'x' }, ['address']],
    [{ address: 'ana@ifsc.edu', password: 'x'.repeat(1025) }, ['password']],
  ])('%j is refused at %j', (input, paths) => {
    expect(errorPaths(LoginRequest.safeParse(input))).toEqual(paths);
  });
});

describe('ApiError', () => {
  it('is the body every error response has', () => {
    expect(ApiError.parse({ statusCode: 404, code: 'not_found', message: 'message not found' })).toEqual({
      statusCode: 404,
      code: 'not_found',
      message: 'message not found',
    });
    expect(ApiError.safeParse({ statusCode: '404', code: 'not_found', message: 'x' }).success).toBe(false);
  });
});
