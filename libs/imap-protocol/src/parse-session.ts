import type { ImapCommand, ParseContext } from './command-types';
import { readMailbox } from './parse-common';
import type { Reader } from './parse-reader';

/** Commands about the session rather than mail: AUTHENTICATE, LOGIN, ENABLE, ID, COMPRESS, QUOTA. */

/** AUTHENTICATE mechanism [SP initial-response] (RFC 9051 §6.2.2, SASL-IR RFC 4959 §7: "=" is empty). */
export function parseAuthenticate(r: Reader): ImapCommand {
  r.sp();
  const mechanism = r.atom('SASL mechanism').toUpperCase();
  let initialResponse: string | undefined;
  if (r.peek() === ' ') {
    r.sp();
    const text = r.take(/[A-Za-z0-9+/=]/, 'initial response');
    if (text !== '=' && !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
      r.fail('Invalid base64 in initial response');
    }
    initialResponse = text === '=' ? '' : text;
  }
  r.end();
  return { name: 'AUTHENTICATE', mechanism, ...(initialResponse !== undefined ? { initialResponse } : {}) };
}

/** LOGIN userid SP password, both astrings (RFC 9051 §6.2.3). */
export function parseLogin(r: Reader): ImapCommand {
  r.sp();
  const user = r.astring('user name');
  r.sp();
  const password = r.astring('password');
  r.end();
  return { name: 'LOGIN', user, password };
}

/** ENABLE 1*(SP capability) (RFC 5161 §3.1); names upper-cased. */
export function parseEnable(r: Reader): ImapCommand {
  const capabilities: string[] = [];
  do {
    r.sp();
    capabilities.push(r.atom('capability').toUpperCase());
  } while (!r.isAtEnd());
  return { name: 'ENABLE', capabilities };
}

/**
 * ID ("(" string SP nstring *(SP string SP nstring) ")" / NIL) (RFC 2971 §4). Field names are
 * lower-cased (they are case-insensitive). RFC 2971 §3.3 bounds: 30 pairs, names 30 octets,
 * values 1024 octets.
 */
export function parseId(r: Reader): ImapCommand {
  r.sp();
  if (/^NIL$/i.test(r.rest())) {
    r.skip(3);
    return { name: 'ID', params: null };
  }
  const params: Record<string, string | null> = {};
  let count = 0;
  r.list(() => {
    const key = r.string('ID field');
    r.sp();
    const value = r.nstring('ID value');
    if (++count > 30 || Buffer.byteLength(key) > 30 || (value !== null && Buffer.byteLength(value) > 1024)) {
      r.fail('ID parameters too long (RFC 2971 §3.3)');
    }
    params[key.toLowerCase()] = value;
  }, true);
  r.end();
  return { name: 'ID', params };
}

/** COMPRESS mechanism (RFC 4978 §3). */
export function parseCompress(r: Reader): ImapCommand {
  r.sp();
  const mechanism = r.atom('compression mechanism').toUpperCase();
  r.end();
  return { name: 'COMPRESS', mechanism };
}

/** GETQUOTA root / GETQUOTAROOT mailbox / SETQUOTA root (resources) (RFC 9208 §4). */
export function parseQuota(r: Reader, ctx: ParseContext, name: 'GETQUOTA' | 'GETQUOTAROOT' | 'SETQUOTA'): ImapCommand {
  r.sp();
  if (name === 'GETQUOTAROOT') {
    const mailbox = readMailbox(r, ctx);
    r.end();
    return { name, mailbox };
  }
  const root = r.astring('quota root');
  if (name === 'SETQUOTA') {
    r.sp();
    // The resource list is checked for syntax only: quotas are set by the admin, SETQUOTA answers NO.
    r.list(() => {
      r.atom('resource name');
      r.sp();
      r.take(/[0-9]/, 'resource limit'); // number64 (RFC 9208 §4.1.3)
    }, true);
  }
  r.end();
  return { name, root };
}
