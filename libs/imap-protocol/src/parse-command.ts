import type { ImapCommand, ParseContext, ParseResult } from './command-types';
import { parseAppend } from './parse-append';
import { readMailbox, readSequenceSet } from './parse-common';
import { parseFetch } from './parse-fetch';
import { parseCreate, parseList, parseLsub, parseStatus } from './parse-list';
import { ParseError, Reader } from './parse-reader';
import { parseSearch } from './parse-search';
import { parseSelect } from './parse-select';
import { parseAuthenticate, parseCompress, parseEnable, parseId, parseLogin, parseQuota } from './parse-session';
import { parseSort, parseThread } from './parse-sort-thread';
import { parseStore } from './parse-store';
import { type CommandFrame, CommandReceiver } from './receiver';

/**
 * A command frame (receiver.ts) → a typed command, or BAD with a clear text (RFC 9051 §7.1.5).
 * command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF. Which
 * state a command is valid in is the server's concern (its command table), not the parser's.
 * Never throws.
 */

type CommandParser = (r: Reader, ctx: ParseContext, uid: boolean) => ImapCommand;

function noArgs(name: ImapCommand['name']): CommandParser {
  return (r) => {
    if (!r.isAtEnd()) r.fail(`${name} takes no arguments`);
    return { name } as ImapCommand;
  };
}

function oneMailbox(name: 'DELETE' | 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'GETQUOTAROOT'): CommandParser {
  return (r, ctx) => {
    r.sp();
    const mailbox = readMailbox(r, ctx);
    r.end();
    return { name, mailbox } as ImapCommand;
  };
}

const COMMANDS: Record<string, CommandParser> = {
  CAPABILITY: noArgs('CAPABILITY'),
  NOOP: noArgs('NOOP'),
  LOGOUT: noArgs('LOGOUT'),
  STARTTLS: noArgs('STARTTLS'),
  NAMESPACE: noArgs('NAMESPACE'),
  IDLE: noArgs('IDLE'),
  CHECK: noArgs('CHECK'),
  CLOSE: noArgs('CLOSE'),
  UNSELECT: noArgs('UNSELECT'),
  EXPUNGE: noArgs('EXPUNGE'),
  AUTHENTICATE: (r) => parseAuthenticate(r),
  LOGIN: (r) => parseLogin(r),
  ENABLE: (r) => parseEnable(r),
  ID: (r) => parseId(r),
  COMPRESS: (r) => parseCompress(r),
  SELECT: (r, ctx) => parseSelect(r, ctx, 'SELECT'),
  EXAMINE: (r, ctx) => parseSelect(r, ctx, 'EXAMINE'),
  CREATE: (r, ctx) => parseCreate(r, ctx),
  DELETE: oneMailbox('DELETE'),
  SUBSCRIBE: oneMailbox('SUBSCRIBE'),
  UNSUBSCRIBE: oneMailbox('UNSUBSCRIBE'),
  RENAME: (r, ctx) => {
    r.sp();
    const from = readMailbox(r, ctx);
    r.sp();
    const to = readMailbox(r, ctx);
    r.end();
    return { name: 'RENAME', from, to };
  },
  LIST: (r, ctx) => parseList(r, ctx),
  LSUB: (r, ctx) => parseLsub(r, ctx),
  STATUS: (r, ctx) => parseStatus(r, ctx),
  APPEND: (r, ctx) => parseAppend(r, ctx),
  GETQUOTA: (r, ctx) => parseQuota(r, ctx, 'GETQUOTA'),
  GETQUOTAROOT: (r, ctx) => parseQuota(r, ctx, 'GETQUOTAROOT'),
  SETQUOTA: (r, ctx) => parseQuota(r, ctx, 'SETQUOTA'),
  // NOTIFY (RFC 5465) is not announced; it is recognised only so the server can answer NO, not BAD.
  NOTIFY: () => ({ name: 'NOTIFY' }),
  FETCH: (r, _ctx, uid) => parseFetch(r, uid),
  STORE: (r, _ctx, uid) => parseStore(r, uid),
  SEARCH: (r, _ctx, uid) => parseSearch(r, uid),
  SORT: (r, _ctx, uid) => parseSort(r, uid),
  THREAD: (r, _ctx, uid) => parseThread(r, uid),
  COPY: (r, ctx, uid) => parseCopyMove(r, ctx, uid, 'COPY'),
  MOVE: (r, ctx, uid) => parseCopyMove(r, ctx, uid, 'MOVE'),
};

/** RFC 9051 §6.4.9: UID applies to these (UID EXPUNGE from UIDPLUS, RFC 4315 §2.1). */
const UID_COMMANDS = new Set(['FETCH', 'STORE', 'SEARCH', 'SORT', 'THREAD', 'COPY', 'MOVE', 'EXPUNGE']);

function parseCopyMove(r: Reader, ctx: ParseContext, uid: boolean, name: 'COPY' | 'MOVE'): ImapCommand {
  r.sp();
  const set = readSequenceSet(r);
  r.sp();
  const mailbox = readMailbox(r, ctx);
  r.end();
  return { name, uid, set, mailbox };
}

function parseUidExpunge(r: Reader): ImapCommand {
  r.sp();
  const uids = readSequenceSet(r);
  r.end();
  return { name: 'UID EXPUNGE', uids };
}

const DEFAULT_CONTEXT: ParseContext = { isUtf8: false };

/**
 * Parses one command. `input` is a frame from CommandReceiver, or (for tests and tools) the wire
 * text of one command, CRLF optional, literals included ("a LOGIN {4}\r\njoel pw").
 */
export function parseCommand(input: CommandFrame | string | Buffer, ctx: ParseContext = DEFAULT_CONTEXT): ParseResult {
  const frame = typeof input === 'string' || Buffer.isBuffer(input) ? frameFromWire(input) : input;
  if ('text' in frame) return { ok: false, text: frame.text };
  const r: Reader = new Reader(frame.lines, frame.literals);
  let tag: string | undefined;
  try {
    const word = r.take(/[\x21\x23\x24\x26\x27\x2c-\x5b\x5d-\x7a\x7c-\x7e]/, 'tag');
    if (r.peek() !== ' ' && !r.isAtEnd()) r.fail('Invalid tag');
    tag = word;
    if (r.isAtEnd()) r.fail('Missing command');
    r.sp();
    let name = r.atom('command').toUpperCase();
    let uid = false;
    if (name === 'UID') {
      r.sp();
      name = r.atom('command').toUpperCase();
      if (!UID_COMMANDS.has(name)) r.fail(`UID ${name} is not a command`);
      uid = true;
      if (name === 'EXPUNGE') return { ok: true, value: { tag, command: parseUidExpunge(r) } };
    }
    const parser = COMMANDS[name];
    if (!parser) r.fail(`Unknown command ${name.slice(0, 32)}`);
    return { ok: true, value: { tag, command: parser(r, ctx, uid) } };
  } catch (error) {
    if (!(error instanceof ParseError)) return { ok: false, ...(tag ? { tag } : {}), text: 'Invalid command' };
    // A line that does not start with a valid tag is answered untagged (RFC 9051 §7.1.5).
    return { ok: false, ...(tag ? { tag } : {}), text: error.message };
  }
}

/** Frames wire text (one command) with a receiver without limits; for tests and tools. */
export function frameFromWire(input: string | Buffer): CommandFrame | { text: string } {
  let bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.length < 2 || bytes[bytes.length - 2] !== 0x0d || bytes[bytes.length - 1] !== 0x0a) {
    bytes = Buffer.concat([bytes, Buffer.from('\r\n')]);
  }
  const big = Number.MAX_SAFE_INTEGER;
  const receiver = new CommandReceiver({
    maxLineBytes: big,
    maxCommandBytes: big,
    maxLiteralBytes: big,
    maxNonSyncLiteralBytes: big,
    maxDiscardBytes: big,
    maxNesting: big,
  });
  receiver.push(bytes);
  for (let event = receiver.next(); event; event = receiver.next()) {
    if (event.type === 'command') return event.frame;
    if (event.type === 'error') return { text: event.text };
  }
  return { text: 'Incomplete command' };
}
