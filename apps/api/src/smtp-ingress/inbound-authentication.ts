import { Inject, Injectable, Logger } from '@nestjs/common';
import { findHeaderBlock, hasBodySignatures } from '@correio/mime';
import { authenticate } from 'mailauth';
import type { SMTPServerSession } from 'smtp-server';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DNS_RESOLVER, type DnsResolver } from '../dns/dns-resolver.js';

/** The verdicts kept with each received message (shown by the webmail later). */
export interface AuthVerdicts {
  spf: string;
  dkim: { domain: string; selector: string; result: string }[];
  dmarc: string;
  arc: string;
}

export interface AuthOutcome {
  /** Authentication-Results (RFC 8601) and Received-SPF header lines to prepend, CRLF-terminated. */
  headers: string;
  verdicts: AuthVerdicts;
}

const NONE: AuthVerdicts = { spf: 'none', dkim: [], dmarc: 'none', arc: 'none' };

/**
 * SPF (RFC 7208), DKIM (RFC 6376), DMARC (RFC 7489) and ARC (RFC 8617) verification with mailauth,
 * through the replaceable resolver only. BIMI is off: it fetches logos and certificates over HTTPS.
 * A verification failure never loses mail: the message is stored with `temperror` verdicts.
 */
@Injectable()
export class InboundAuthentication {
  private readonly logger = new Logger('mail-auth');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DNS_RESOLVER) private readonly dns: DnsResolver,
  ) {}

  async verify(raw: Buffer, session: SMTPServerSession): Promise<AuthOutcome> {
    try {
      const mailFrom = session.envelope.mailFrom;
      const result = await authenticate(verifiable(raw), {
        ip: session.remoteAddress.replace(/^::ffff:/, ''),
        helo: session.hostNameAppearsAs,
        sender: mailFrom ? mailFrom.address : '',
        mta: this.config.hostname,
        resolver: (name: string, rrtype: string) => this.dns.resolve(name, rrtype) as Promise<string[]>,
        disableBimi: true,
        trustReceived: false,
      });
      return { headers: normalizeHeaders(result.headers ?? ''), verdicts: toVerdicts(result) };
    } catch (err) {
      this.logger.warn(`verification failed: ${(err as Error).message}`);
      const headers = `Authentication-Results: ${this.config.hostname}; spf=temperror; dkim=temperror; dmarc=temperror\r\n`;
      return { headers, verdicts: { ...NONE, spf: 'temperror', dmarc: 'temperror' } };
    }
  }
}

/**
 * What mailauth needs to read. SPF and DMARC look at the envelope and the From header; only DKIM and
 * ARC signatures read the body (their body hash). Without such a signature the header block alone
 * gives the same verdicts, so the body is not canonicalized and hashed for nothing.
 */
function verifiable(raw: Buffer): Buffer {
  const block = findHeaderBlock(raw);
  return block && !hasBodySignatures(block) ? raw.subarray(0, block.length) : raw;
}

function normalizeHeaders(h: string): string {
  const crlf = h.replace(/\r?\n/g, '\r\n');
  return crlf && !crlf.endsWith('\r\n') ? `${crlf}\r\n` : crlf;
}

type MailauthResult = {
  spf?: { status?: { result?: string } } | false;
  dkim?: { results?: { signingDomain?: string; selector?: string; status?: { result?: string } }[] };
  dmarc?: { status?: { result?: string } } | false;
  arc?: { status?: { result?: string } } | false;
};

function toVerdicts(r: MailauthResult): AuthVerdicts {
  return {
    spf: (r.spf && r.spf.status?.result) || 'none',
    // An unsigned message yields one placeholder result without a domain: not a signature.
    dkim: (r.dkim?.results ?? []).filter((d) => d.signingDomain).map((d) => ({ domain: d.signingDomain ?? '', selector: d.selector ?? '', result: d.status?.result ?? 'none' })),
    dmarc: (r.dmarc && r.dmarc.status?.result) || 'none',
    arc: (r.arc && r.arc.status?.result) || 'none',
  };
}
