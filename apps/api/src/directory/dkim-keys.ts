import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export type DkimAlgorithm = 'rsa_sha256' | 'ed25519_sha256';

export interface NewDkimKey {
  selector: string;
  algorithm: DkimAlgorithm;
  /** PKCS#8 PEM. */
  privateKey: string;
  /** The TXT record's p= value: base64 of the SubjectPublicKeyInfo for RSA (RFC 6376 §3.6.1), of
   * the raw 32-byte key for Ed25519 (RFC 8463 §4). */
  publicKey: string;
}

/**
 * A domain's signing keys: RSA 2048 (what every verifier understands) and Ed25519 (RFC 8463,
 * smaller and stronger; verifiers that do not know it ignore that signature). Selectors carry the
 * month they were made, so a rotation publishes new names next to the old ones.
 */
export async function generateDkimKeys(now = new Date(), tag = ''): Promise<NewDkimKey[]> {
  // `tag` (a rotation's few random characters) keeps a second pair in the same month distinct.
  const month = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}${tag}`;
  const [rsa, ed] = await Promise.all([
    generate('rsa', { modulusLength: 2048 }),
    generate('ed25519', {}),
  ]);
  const edSpki = ed.publicKey.export({ type: 'spki', format: 'der' });
  return [
    {
      selector: `c${month}r`,
      algorithm: 'rsa_sha256',
      privateKey: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: rsa.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    },
    {
      selector: `c${month}e`,
      algorithm: 'ed25519_sha256',
      privateKey: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      // The SPKI of an Ed25519 key is a fixed 12-byte prefix and the 32-byte key.
      publicKey: edSpki.subarray(edSpki.length - 32).toString('base64'),
    },
  ];
}

export interface DnsRecord {
  name: string;
  type: 'MX' | 'TXT' | 'SRV';
  value: string;
  /** The record as a zone-file line (long TXT values split into 255-byte strings, RFC 1035 §3.3.14). */
  zone: string;
  purpose: string;
}

export function dkimTxt(key: Pick<NewDkimKey, 'algorithm' | 'publicKey'>): string {
  return `v=DKIM1; k=${key.algorithm === 'rsa_sha256' ? 'rsa' : 'ed25519'}; p=${key.publicKey}`;
}

export function txtRecord(name: string, value: string, purpose: string): DnsRecord {
  const chunks = value.match(/.{1,255}/g) ?? [''];
  return { name, type: 'TXT', value, zone: `${name}. IN TXT ${chunks.map((c) => `"${c}"`).join(' ')}`, purpose };
}
