import { createRequire } from 'node:module';
import type { dkimVerify } from 'mailauth';

type DkimResult = Awaited<ReturnType<typeof dkimVerify>> & { arc?: unknown };
type Verifier = {
  headerFrom: string[];
  envelopeFrom: string | false;
  results: DkimResult['results'];
  arc: unknown;
  messageHeaders(headers: unknown): Promise<void>;
  finalChunk(): Promise<void>;
};

// mailauth's own pieces (it ships no exports map, so its files are requireable; no typings).
const require = createRequire(import.meta.url);
const { DkimVerifier } = require('mailauth/lib/dkim/dkim-verifier') as { DkimVerifier: new (o: object) => Verifier };
const { parseHeaders } = require('mailauth/lib/tools') as { parseHeaders(buf: Buffer): unknown };

/**
 * dkimVerify() for a header block that carries no DKIM or ARC signature (the caller checks with
 * hasBodySignatures): the same DkimVerifier, given the parsed header block directly. dkimVerify()
 * writes the bytes into the verifier as a stream, whose header parser finds the end of the block
 * byte by byte in JavaScript before it parses it — the larger part of its cost on unsigned mail
 * (issue 10). Without a signature there is no body hash to compute, so nothing else differs: the
 * result ("none", the From addresses DMARC needs, the empty ARC chain) is the verifier's own.
 * `header` must be the whole block, up to and including its empty line, with CRLF line ends only
 * (the MX refuses bare line ends before it gets here). dkim-unsigned.test.ts compares it with
 * dkimVerify().
 */
export async function verifyUnsignedDkim(header: Buffer, options: { resolver: unknown; sender: string }): Promise<DkimResult> {
  const verifier = new DkimVerifier(options);
  await verifier.messageHeaders(parseHeaders(header));
  await verifier.finalChunk();
  const result = { headerFrom: verifier.headerFrom, envelopeFrom: verifier.envelopeFrom, results: verifier.results } as DkimResult;
  // As dkimVerify(): the ARC state rides along, not enumerable.
  Object.defineProperty(result, 'arc', { enumerable: false, value: verifier.arc });
  return result;
}
