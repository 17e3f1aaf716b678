import type { AppendMessage, ImapCommand, ParseContext } from './command-types';
import { readDateTime, readFlagList, readMailbox } from './parse-common';
import type { Reader } from './parse-reader';

/**
 * APPEND mailbox 1*append-message (RFC 9051 §6.3.12, MULTIAPPEND RFC 3502 §6);
 * append-message = [SP flag-list] [SP date-time] SP append-data;
 * append-data = literal / literal8 (RFC 3516 §4.4) / "UTF8" SP "(" literal8 ")" (RFC 6855 §4).
 */
export function parseAppend(r: Reader, ctx: ParseContext): ImapCommand {
  r.sp();
  const mailbox = readMailbox(r, ctx);
  const messages: AppendMessage[] = [];
  do {
    messages.push(readAppendMessage(r));
  } while (!r.isAtEnd());
  return { name: 'APPEND', mailbox, messages };
}

function readAppendMessage(r: Reader): AppendMessage {
  r.sp();
  let flags: string[] = [];
  let date: Date | undefined;
  if (r.peek() === '(') {
    flags = readFlagList(r);
    r.sp();
  }
  if (r.peek() === '"') {
    date = readDateTime(r);
    r.sp();
  }
  let isUtf8 = false;
  if (/^UTF8 \($/i.test(r.rest())) {
    isUtf8 = true;
    r.skip(6);
  }
  if (!r.isAtLiteral()) r.fail(r.isAtEnd() ? 'Missing message literal' : 'Expected the message as a literal');
  const literal = r.literal();
  if (isUtf8) {
    if (!literal.isBinary) r.fail('UTF8 APPEND data must be a literal8');
    r.expect(')', 'Expected ")" after the UTF8 message');
  }
  if (literal.data.length === 0) r.fail('Empty message');
  if (!literal.isBinary && literal.data.includes(0)) r.fail('NUL in a message literal: use literal8 (BINARY)');
  return { flags, ...(date ? { date } : {}), message: literal.data, isBinary: literal.isBinary && !isUtf8 };
}
