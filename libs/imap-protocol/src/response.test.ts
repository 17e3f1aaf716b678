import { describe, expect, it } from 'vitest';
import { capabilities, capabilityText } from './capabilities';
import { continuationLine, taggedLine, untaggedLine, untaggedStatusLine } from './response';

describe('response lines', () => {
  it('writes tagged status lines with and without a code', () => {
    expect(taggedLine('a1', 'OK', undefined, 'FETCH completed')).toBe('a1 OK FETCH completed\r\n');
    expect(taggedLine('a1', 'NO', 'TRYCREATE', 'No such mailbox')).toBe('a1 NO [TRYCREATE] No such mailbox\r\n');
    expect(taggedLine('a1', 'OK', 'APPENDUID 38505 3955', 'APPEND completed')).toBe('a1 OK [APPENDUID 38505 3955] APPEND completed\r\n');
  });

  it('never lets a CR or LF end the line early', () => {
    expect(taggedLine('a', 'BAD', undefined, 'Unknown command X\r\n* OK injected')).toBe('a BAD Unknown command X  * OK injected\r\n');
    expect(untaggedLine('3 EXISTS\r\n')).toBe('* 3 EXISTS  \r\n');
  });

  it('writes a text even when none is given (RFC 9051 resp-text needs one in IMAP4rev1)', () => {
    expect(taggedLine('a', 'OK', undefined, '')).toBe('a OK done\r\n');
  });

  it('writes untagged status, data and continuation lines', () => {
    expect(untaggedStatusLine('OK', 'UIDVALIDITY 3857529045', 'UIDs valid')).toBe('* OK [UIDVALIDITY 3857529045] UIDs valid\r\n');
    expect(untaggedStatusLine('BYE', undefined, 'Logging out')).toBe('* BYE Logging out\r\n');
    expect(untaggedLine('SEARCH 2 3 6')).toBe('* SEARCH 2 3 6\r\n');
    expect(continuationLine('Ready for literal data')).toBe('+ Ready for literal data\r\n');
    expect(continuationLine()).toBe('+ \r\n');
  });
});

describe('capabilities', () => {
  const base = { isTls: false, isAuthenticated: false, isLoginAllowed: false, canStartTls: true, appendLimit: 26214400 };

  it('before TLS: STARTTLS and LOGINDISABLED, no AUTH=PLAIN', () => {
    const list = capabilities(base);
    expect(list).toEqual(
      expect.arrayContaining(['IMAP4rev1', 'IMAP4rev2', 'STARTTLS', 'LOGINDISABLED', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE']),
    );
    expect(list).not.toContain('AUTH=PLAIN');
    expect(list).not.toContain('UIDPLUS');
  });

  it('on TLS: AUTH=PLAIN, no STARTTLS nor LOGINDISABLED', () => {
    const list = capabilities({ ...base, isTls: true, isLoginAllowed: true });
    expect(list).toContain('AUTH=PLAIN');
    expect(list).not.toContain('STARTTLS');
    expect(list).not.toContain('LOGINDISABLED');
  });

  it('after login: the extensions and APPENDLIMIT, COMPRESS until active', () => {
    const list = capabilities({ ...base, isTls: true, isAuthenticated: true, isLoginAllowed: true });
    for (const cap of [
      'UIDPLUS',
      'MOVE',
      'CONDSTORE',
      'QRESYNC',
      'ESEARCH',
      'SEARCHRES',
      'SORT',
      'THREAD=REFERENCES',
      'THREAD=ORDEREDSUBJECT',
      'QUOTA',
      'LIST-EXTENDED',
      'LIST-STATUS',
      'STATUS=SIZE',
      'SPECIAL-USE',
      'CREATE-SPECIAL-USE',
      'UTF8=ACCEPT',
      'BINARY',
      'APPENDLIMIT=26214400',
      'COMPRESS=DEFLATE',
    ]) {
      expect(list).toContain(cap);
    }
    expect(list).not.toContain('AUTH=PLAIN');
    expect(list).not.toContain('STARTTLS');
    expect(capabilities({ ...base, isAuthenticated: true, isCompressed: true })).not.toContain('COMPRESS=DEFLATE');
  });

  it('announces LITERAL- instead of LITERAL+ when asked', () => {
    expect(capabilities({ ...base, isLiteralMinus: true })).toContain('LITERAL-');
    expect(capabilities({ ...base, isLiteralMinus: true })).not.toContain('LITERAL+');
  });

  it('formats the CAPABILITY data', () => {
    expect(capabilityText(base)).toMatch(/^CAPABILITY IMAP4rev1 IMAP4rev2 /);
  });
});
