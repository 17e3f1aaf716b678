import { POP3_LIMITS } from './limits';

/**
 * A parsed POP3 command (RFC 1939 §3–§7, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH). Message
 * numbers are positive integers; whether they name a message is the session's business.
 */
export type Pop3Command =
  | { name: 'USER'; user: string }
  | { name: 'PASS'; password: string }
  | { name: 'STAT' }
  | { name: 'LIST'; msg?: number }
  | { name: 'RETR'; msg: number }
  | { name: 'DELE'; msg: number }
  | { name: 'NOOP' }
  | { name: 'RSET' }
  | { name: 'QUIT' }
  | { name: 'TOP'; msg: number; lines: number }
  | { name: 'UIDL'; msg?: number }
  | { name: 'CAPA' }
  | { name: 'STLS' }
  /** mechanism undefined: list the mechanisms (the RFC 1734 form some clients still send). */
  | { name: 'AUTH'; mechanism?: string; initialResponse?: string };

export type Pop3CommandName = Pop3Command['name'];

export type ParseResult = { ok: true; command: Pop3Command } | { ok: false; error: string };

const fail = (error: string): ParseResult => ({ ok: false, error });
const ok = (command: Pop3Command): ParseResult => ({ ok: true, command });

/** A message number or line count: decimal digits only (RFC 1939 §3), within a safe integer. */
function parseNumber(arg: string | undefined): number | undefined {
  if (arg === undefined || !/^\d{1,9}$/.test(arg)) return undefined;
  return Number(arg);
}

function parseMsg(arg: string | undefined): number | undefined {
  const n = parseNumber(arg);
  return n !== undefined && n > 0 ? n : undefined;
}

/**
 * Parses one command line without its line ending. Keywords are case-insensitive (RFC 1939 §3);
 * arguments are separated by single spaces. PASS keeps everything after the first space, spaces
 * included, as most servers do (RFC 1939 §7 notes passwords may contain spaces).
 */
export function parseCommand(line: string): ParseResult {
  if (Buffer.byteLength(line) + 2 > POP3_LIMITS.maxCommandLineOctets) return fail('Line too long');
  if (/[\0\r\n]/.test(line)) return fail('Invalid characters in command');
  const space = line.indexOf(' ');
  const keyword = (space < 0 ? line : line.slice(0, space)).toUpperCase();
  const rest = space < 0 ? '' : line.slice(space + 1);
  if (!/^[A-Z]{3,4}$/.test(keyword)) return fail('Unknown command');
  if (keyword === 'PASS') return space < 0 ? fail('Missing password') : ok({ name: 'PASS', password: rest });
  const args = rest === '' ? [] : rest.split(' ');
  if (args.some((a) => a === '')) return fail('Malformed arguments');
  const none = (command: Pop3Command): ParseResult => (args.length === 0 ? ok(command) : fail(`${keyword} takes no arguments`));
  switch (keyword) {
    case 'STAT':
    case 'NOOP':
    case 'RSET':
    case 'QUIT':
    case 'CAPA':
    case 'STLS':
      return none({ name: keyword });
    case 'USER':
      return args.length === 1 ? ok({ name: 'USER', user: args[0]! }) : fail('USER takes one argument');
    case 'LIST':
    case 'UIDL': {
      if (args.length === 0) return ok({ name: keyword });
      const msg = parseMsg(args[0]);
      return args.length === 1 && msg !== undefined ? ok({ name: keyword, msg }) : fail('Invalid message number');
    }
    case 'RETR':
    case 'DELE': {
      const msg = parseMsg(args[0]);
      return args.length === 1 && msg !== undefined ? ok({ name: keyword, msg }) : fail('Invalid message number');
    }
    case 'TOP': {
      const msg = parseMsg(args[0]);
      const lines = parseNumber(args[1]);
      if (args.length !== 2 || msg === undefined || lines === undefined) return fail('Usage: TOP msg n');
      return ok({ name: 'TOP', msg, lines });
    }
    case 'AUTH': {
      if (args.length === 0) return ok({ name: 'AUTH' });
      if (args.length > 2 || !/^[A-Za-z0-9_-]{1,20}$/.test(args[0]!)) return fail('Invalid AUTH arguments');
      return ok({ name: 'AUTH', mechanism: args[0]!.toUpperCase(), initialResponse: args[1] });
    }
    default:
      return fail('Unknown command');
  }
}
