import { createPrivateKey } from 'node:crypto';
import { dkimSign } from 'mailauth';

/** mailauth's signatureData for one key. */
export interface DkimSigner {
  signingDomain: string;
  selector: string;
  /** PEM (RSA), or the raw 32-byte Ed25519 seed (mailauth reads it as DER, far cheaper than a PEM parse). */
  privateKey: string | Buffer;
  algorithm: string;
}

type Lookup = (domain: string) => Promise<DkimSigner[]>;

/**
 * The signing keys of sender domains, kept for `ttlMs` (default 60 s): submission signs every
 * message, and a query per message for keys that change a few times a year is waste. A key added,
 * rotated or deactivated takes effect within the TTL. Domains without keys are remembered too (alias
 * forwards of external senders). Ed25519 keys are turned into their raw seed once here.
 */
export class DkimSignerCache {
  private readonly entries = new Map<string, { signers: DkimSigner[]; until: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxDomains = 10_000,
  ) {}

  async get(domain: string, lookup: Lookup, now = Date.now()): Promise<DkimSigner[]> {
    const key = domain.toLowerCase();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.signers;
    const signers = (await lookup(key)).map(rawEd25519);
    if (this.entries.size >= this.maxDomains) this.entries.clear();
    this.entries.set(key, { signers, until: now + this.ttlMs });
    return signers;
  }
}

/** The 32-byte seed of a PEM Ed25519 key (mailauth: "seems like a raw ed25519 key"); RSA keys unchanged. */
function rawEd25519(s: DkimSigner): DkimSigner {
  if (s.algorithm !== 'ed25519-sha256' || typeof s.privateKey !== 'string') return s;
  try {
    const jwk = createPrivateKey(s.privateKey).export({ format: 'jwk' });
    const seed = Buffer.from(jwk.d ?? '', 'base64url');
    return seed.length === 32 ? { ...s, privateKey: seed } : s;
  } catch {
    return s; // mailauth reports the bad key and signs with the others
  }
}

/**
 * DKIM-signs `raw` with every signer (RSA and Ed25519); the DKIM-Signature fields are prepended.
 * Unsigned when there are none.
 */
export async function dkimSignMessage(raw: Buffer, signers: DkimSigner[]): Promise<Buffer> {
  if (signers.length === 0) return raw;
  // signTime is fixed here because without it mailauth reads the clock twice, once for the signed
  // header and once for the emitted one: a second boundary between them breaks the signature.
  const { signatures } = await dkimSign(raw, { signTime: new Date(), signatureData: signers } as never);
  return signatures ? Buffer.concat([Buffer.from(signatures), raw]) : raw;
}

/** The domain of an envelope sender ('' for the null sender). */
export function senderDomain(envelopeFrom: string): string {
  const at = envelopeFrom.lastIndexOf('@');
  return at < 0 ? '' : envelopeFrom.slice(at + 1).toLowerCase();
}
