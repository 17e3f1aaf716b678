import { Headers } from '@zone-eu/mailsplit';
import { type AddressObject, MailParser } from 'mailparser';
import type { HeaderBlock } from './header-block';
import { withHeaderSection } from './headerless';

/**
 * What mailparser's simpleParser yields for the fields the summary reads, computed without its
 * stream pipeline for the commonest message there is: one text/plain part in UTF-8 or US-ASCII,
 * not quoted-printable or base64, not format=flowed. simpleParser splits such a message line by
 * line through two object streams and yields the event loop after every chunk (setImmediate), which
 * cost ~0.3 ms of CPU per 4 KiB message on the MX (issue 10: most of the summary's time).
 *
 * Nothing is re-implemented: the header lines come from mailsplit's own Headers class (what
 * mailparser's splitter builds for the root node) and go through MailParser's own processHeaders
 * (decoding, address parsing, Message-ID normalisation); the text is the body as mailparser makes
 * it for such a part (bytes → UTF-8 string, CRLF → LF). Anything else — another charset or
 * transfer encoding, a Content-Disposition, HTML, a bare CR or LF in the header block, an mbox
 * "From " line — answers undefined and the caller runs simpleParser. summarize-simple.test.ts
 * checks the two agree.
 */
export interface SimpleParse {
  headerLines: readonly { key: string; line: string }[];
  messageId?: string;
  inReplyTo?: string;
  references?: string | string[];
  subject?: string;
  from?: AddressObject;
  to?: AddressObject | AddressObject[];
  cc?: AddressObject | AddressObject[];
  replyTo?: AddressObject;
  text: string;
}

type HeaderParser = { processHeaders(lines: { key: string; line: string }[]): Map<string, unknown> };
type Libmime = { parseHeaderValue(value: string, opts?: { stripComments?: boolean }): { value: string; params: Record<string, string> } };
type MailsplitHeaders = {
  getList(): { key: string; line: string }[];
  getFirst(key: string): string;
  get(key: string): string[];
  libmime: Libmime;
};

// processHeaders reads only the parser's libmime and its own helper methods: one instance serves
// every call (it is never written to or ended).
let headerParser: HeaderParser | undefined;

/** The header fields this reading returns (SimpleParse); mailsplit's keys are lower-case. */
const SUMMARY_FIELDS = new Set(['message-id', 'in-reply-to', 'references', 'subject', 'from', 'to', 'cc', 'reply-to']);
const BARE_CR_OR_LF = /\r(?!\n)|(?<!\r)\n/;
const PLAIN_CHARSETS = new Set(['', 'ascii', 'usascii', 'utf8']);
const IDENTITY_ENCODINGS = new Set(['', '7bit', '8bit', 'binary']);

/** The simple reading of `input` (whose header block is `block`), or undefined: use simpleParser. */
export function parseSimpleTextMessage(input: Buffer, block: HeaderBlock): SimpleParse | undefined {
  // The first line must be a header field (else the parse input gets an empty line in front), and
  // the block must end at its first empty line for mailsplit too (only CRLF line ends in it).
  if (input[0] === 0x0d || input[0] === 0x0a || withHeaderSection(input) !== input) return undefined;
  if (BARE_CR_OR_LF.test(block.text) || /^From /i.test(block.text)) return undefined;
  const headers = new Headers(input.subarray(0, block.length)) as unknown as MailsplitHeaders;
  const lines = headers.getList();
  if (headers.get('Content-Disposition').length > 0) return undefined;
  const encoding = headers.getFirst('Content-Transfer-Encoding').toLowerCase().trim();
  if (!IDENTITY_ENCODINGS.has(encoding)) return undefined;
  const typeHeader = headers.get('Content-Type').length > 0 ? headers.getFirst('Content-Type') : 'text/plain';
  const type = headers.libmime.parseHeaderValue(typeHeader, { stripComments: true });
  if ((type.value || '').toLowerCase().trim() !== 'text/plain') return undefined;
  if (type.params.format !== undefined || type.params.name !== undefined) return undefined;
  if (!PLAIN_CHARSETS.has((type.params.charset ?? '').toLowerCase().replace(/[^a-z0-9]+/g, ''))) return undefined;

  headerParser ??= new MailParser() as unknown as HeaderParser;
  // Only the fields read below: processHeaders decodes every line it is given, each on its own, and
  // mail from the MX carries Received, Authentication-Results, ARC and DKIM-Signature lines that
  // the summary never reads (DKIM-Signature even through parseHeaderValue): 2–4 µs of a ~30 µs
  // summary for a message with four such lines.
  const parsed = headerParser.processHeaders(lines.filter((l) => SUMMARY_FIELDS.has(l.key)));
  const get = <T>(key: string) => parsed.get(key) as T | undefined;
  return {
    headerLines: lines,
    messageId: get<string>('message-id'),
    inReplyTo: get<string>('in-reply-to'),
    references: get<string | string[]>('references'),
    subject: get<string>('subject'),
    from: get<AddressObject>('from'),
    to: get<AddressObject | AddressObject[]>('to'),
    cc: get<AddressObject | AddressObject[]>('cc'),
    replyTo: get<AddressObject>('reply-to'),
    text: input.subarray(block.length).toString().replace(/\r?\n/g, '\n'),
  };
}
