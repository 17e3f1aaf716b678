import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Sender Rewriting Scheme, the SRS0 form of Shevek's paper (as libsrs2 and postsrsd write it):
 *   SRS0=HHHH=TT=orig-domain=orig-local@forwarding-domain
 * HHHH: the first 4 characters of base64(HMAC-SHA1(secret, TT + orig-domain + orig-local)), TT the
 * day number mod 1024 in base32 (2 characters). Forwarded mail then leaves with our own domain in
 * MAIL FROM, so SPF passes at the destination, and a bounce comes back to us to be reversed.
 */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const DAY_MS = 86_400_000;
/** A bounce may arrive this many days after the forward (libsrs2's default max age is 21). */
export const SRS_MAX_AGE_DAYS = 21;

function timestamp(now: Date): string {
  const day = Math.floor(now.getTime() / DAY_MS) % 1024;
  return BASE32[day >> 5]! + BASE32[day & 31]!;
}

function hash(secret: string, ...parts: string[]): string {
  return createHmac('sha1', secret).update(parts.join('').toLowerCase()).digest('base64').slice(0, 4);
}

/** The SRS address for forwarding mail from `sender` through `domain`; <> and our own SRS addresses are kept as they are. */
export function srsForward(sender: string, domain: string, secret: string, now = new Date()): string {
  const at = sender.lastIndexOf('@');
  if (at <= 0) return sender;
  const local = sender.slice(0, at);
  const origDomain = sender.slice(at + 1);
  if (origDomain.toLowerCase() === domain.toLowerCase()) return sender;
  // An SRS0 address from another forwarder: SRS1 would be the full scheme; re-wrapping keeps it reversible here.
  const tt = timestamp(now);
  return `SRS0=${hash(secret, tt, origDomain, local)}=${tt}=${origDomain}=${local}@${domain}`;
}

export type SrsReverse = { ok: true; address: string } | { ok: false; why: string };

/** The original sender of an SRS0 address we made (a bounce of a forward), checking hash and age. */
export function srsReverse(address: string, secret: string, now = new Date()): SrsReverse {
  const at = address.lastIndexOf('@');
  const local = at < 0 ? address : address.slice(0, at);
  const m = /^SRS0[=+-]([^=]{4})=([A-Z2-7]{2})=([^=]+)=(.+)$/i.exec(local);
  if (!m) return { ok: false, why: 'not an SRS0 address' };
  const [, h, tt, origDomain, origLocal] = m as unknown as [string, string, string, string, string];
  const expected = hash(secret, tt.toUpperCase(), origDomain, origLocal);
  if (h.length !== expected.length || !timingSafeEqual(Buffer.from(h.toLowerCase()), Buffer.from(expected.toLowerCase())))
    return { ok: false, why: 'bad SRS hash' };
  const then = (BASE32.indexOf(tt[0]!.toUpperCase()) << 5) | BASE32.indexOf(tt[1]!.toUpperCase());
  const today = Math.floor(now.getTime() / DAY_MS) % 1024;
  if ((today - then + 1024) % 1024 > SRS_MAX_AGE_DAYS) return { ok: false, why: 'SRS address expired' };
  return { ok: true, address: `${origLocal}@${origDomain}` };
}
