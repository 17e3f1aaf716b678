import { describe, expect, it } from 'vitest';
import { parseCommand } from './parse-command';

// Commands as real clients send them (taken from their documented or logged sessions): each must
// parse. The typed results are covered by the other parse-*.test.ts tables.
const clientCommands: [string, string][] = [
  ['Thunderbird', '1 capability'],
  ['Thunderbird', '3 ID ("name" "Thunderbird" "version" "128.5.0")'],
  ['Thunderbird', '5 select "INBOX" (CONDSTORE)'],
  ['Thunderbird', '6 UID fetch 1:* (FLAGS)'],
  ['Thunderbird', '7 UID fetch 1:* (FLAGS) (CHANGEDSINCE 1234)'],
  [
    'Thunderbird',
    '8 UID fetch 1:3 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])',
  ],
  ['Thunderbird', '9 UID fetch 2 (UID RFC822.SIZE FLAGS BODY.PEEK[])'],
  ['Thunderbird', '10 lsub "" "*"'],
  ['Thunderbird', '11 list (SUBSCRIBED) "" "*" RETURN (SPECIAL-USE)'],
  ['Thunderbird', '12 STATUS "Sent" (UIDNEXT MESSAGES UNSEEN RECENT)'],
  ['Thunderbird', '13 getquotaroot "INBOX"'],
  ['Thunderbird', '14 uid store 5 +Flags (\\Deleted)'],
  ['Thunderbird', '15 UID MOVE 5 "Trash"'],
  ['Thunderbird', '16 IDLE'],
  ['Thunderbird', '17 append "Sent" (\\Seen) {12}\r\nHello world!'],
  ['Apple Mail', '1.2 ENABLE QRESYNC'],
  ['Apple Mail', '1.3 SELECT INBOX (QRESYNC (1680000000 12345 1:500))'],
  ['Apple Mail', '1.4 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)'],
  ['Apple Mail', '1.5 LIST "" "*" RETURN (SPECIAL-USE CHILDREN)'],
  ['Apple Mail', '1.6 UID SEARCH RETURN (ALL) UID 1:* NOT DELETED'],
  ['K-9 Mail', '7 UID SEARCH 1:* NOT DELETED SINCE 1-Jan-2024'],
  [
    'K-9 Mail',
    '8 UID FETCH 41,43 (UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (date subject from content-type to cc reply-to message-id references in-reply-to X-K9mail-Identity Chat-Version)] FLAGS)',
  ],
  ['K-9 Mail', '9 UID FETCH 41 (UID BODYSTRUCTURE)'],
  ['K-9 Mail', '10 UID FETCH 41 (UID BODY.PEEK[1.MIME] BODY.PEEK[1]<0.32768>)'],
  ['mutt', 'a0003 LIST "" "*"'],
  [
    'mutt',
    'a0006 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE FROM SENDER SUBJECT TO CC MESSAGE-ID REFERENCES CONTENT-TYPE CONTENT-DESCRIPTION IN-REPLY-TO REPLY-TO LINES LIST-POST LIST-SUBSCRIBE LIST-UNSUBSCRIBE X-LABEL X-ORIGINAL-TO)])',
  ],
  ['mutt', 'a0007 UID STORE 3 +FLAGS.SILENT (\\Deleted)'],
  ['mutt', 'a0008 UID EXPUNGE 3'],
  ['mbsync', '4 UID FETCH 1:1000000000 (UID FLAGS)'],
  ['mbsync', '5 UID FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (X-TUID)])'],
  ['mbsync', '6 APPEND "INBOX" (\\Seen) {5+}\r\nabcde'],
  ['mbsync', '7 UID STORE 1,3:4 +FLAGS.SILENT (\\Flagged \\Seen)'],
  ['mbsync', '8 CLOSE'],
  ['offlineimap (imaplib)', 'KPNO3 APPEND INBOX (\\Seen) "06-Dec-2026 13:00:00 +0000" {3}\r\nabc'],
  ['offlineimap (imaplib)', 'KPNO4 UID SEARCH (HEADER X-OfflineIMAP 1234-5678)'],
  [
    'imapflow',
    '1 ID ("name" "imapflow" "version" "1.0.0" "vendor" "Postal Systems" "support-url" "https://github.com/postalsys/imapflow/issues")',
  ],
  ['imapflow', '2 AUTHENTICATE PLAIN AGpvZWxAaWZzYy5lZHUAc2VjcmV0'],
  ['imapflow', '3 ENABLE CONDSTORE UTF8=ACCEPT'],
  ['imapflow', '4 COMPRESS DEFLATE'],
  ['imapflow', '5 LIST "" "*" RETURN (SPECIAL-USE SUBSCRIBED)'],
  ['imapflow', '6 LIST "" "*" RETURN (STATUS (MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ))'],
  ['imapflow', '7 FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE INTERNALDATE RFC822.SIZE MODSEQ)'],
  ['imapflow', '8 UID SORT (REVERSE ARRIVAL) UTF-8 ALL'],
  ['Outlook', 'ABCD1 LOGIN "joel@ifsc.edu" "p@ss w0rd"'],
  ['Outlook', 'ABCD2 XLIST "" "*"'],
  ['curl', 'A003 EXAMINE INBOX'],
  ['curl', 'A004 UID FETCH 1 BODY[]'],
  ['curl', 'A005 FETCH 1 BODY[TEXT]'],
];

describe('commands real clients send', () => {
  it.each(clientCommands)('%s: %j', (client, wire) => {
    const result = parseCommand(wire);
    if (wire.includes('XLIST')) {
      // Not announced (LIST with SPECIAL-USE replaces it), so BAD is the right answer.
      expect(result).toEqual({ ok: false, tag: 'ABCD2', text: 'Unknown command XLIST' });
      return;
    }
    expect(result.ok ? 'ok' : `${client}: ${result.text}`).toBe('ok');
  });
});
