import { Inject, Injectable, Logger } from '@nestjs/common';
import { findHeaderBlock, hasBodySignatures } from '@correio/mime';
import { isIP } from 'node:net';
import { type SPFResult, arc, dkimVerify, dmarc, spf } from 'mailauth';
import type { SMTPServerSession } from 'smtp-server';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DNS_RESOLVER, type DnsResolver } from '../dns/dns-resolver.js';
import { DnsAnswerCache } from './dns-answer-cache.js';
import { verifyUnsignedDkim } from './dkim-unsigned.js';
import { SpfCache } from './spf-cache.js';

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

/** An SPF check under way (begun at MAIL FROM); never rejects. */
export type PendingSpf = Promise<{ ok: true; result: SPFResult } | { ok: false; error: unknown }>;

/**
 * SPF (RFC 7208), DKIM (RFC 6376), DMARC (RFC 7489) and ARC (RFC 8617) verification with mailauth,
 * through the replaceable resolver only. BIMI is off: it fetches logos and certificates over HTTPS.
 * A verification failure never loses mail: the message is stored with `temperror` verdicts.
 *
 * SPF needs only the envelope (client address, HELO name, MAIL FROM), so the MX begins it at MAIL
 * FROM (beginSpf) and it runs while the client is still sending RCPT, DATA and the message; end of
 * data then does only what needs the message (DKIM, ARC, DMARC). A verdict is reused for the same
 * inputs for 30 s (spf-cache.ts). This is mailauth's authenticate()
 * taken apart at that seam (same calls, same order of results, same header text), minus BIMI,
 * ARC sealing and trusting Received headers, which Correio never enables.
 */
@Injectable()
export class InboundAuthentication {
  private readonly logger = new Logger('mail-auth');
  /** Every lookup of SPF, DKIM, DMARC and ARC goes through a short answer cache (dns-answer-cache.ts). */
  private readonly dnsCache = new DnsAnswerCache((name, rrtype) => this.dns.resolve(name, rrtype));
  private readonly resolver = (name: string, rrtype: string) => this.dnsCache.lookup(name, rrtype) as Promise<string[]>;
  /** Recent verdicts per (client address, HELO, MAIL FROM): a repeat sender is evaluated once per TTL. */
  private readonly spfCache = new SpfCache();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DNS_RESOLVER) private readonly dns: DnsResolver,
  ) {}

  /** Starts the SPF check of a transaction: call at MAIL FROM, with the address given there. */
  beginSpf(session: SMTPServerSession, sender: string): PendingSpf {
    const ip = session.remoteAddress.replace(/^::ffff:/, '');
    // As authenticate() does: no HELO name → the address; an address literal in brackets.
    let helo = session.hostNameAppearsAs || ip;
    if (isIP(helo)) helo = `[${helo}]`;
    const cached = this.spfCache.get(ip, helo, sender);
    if (cached) return Promise.resolve({ ok: true as const, result: cached });
    return spf({ ip, helo, sender, mta: this.config.hostname, resolver: this.resolver }).then(
      (result) => {
        this.spfCache.set(ip, helo, sender, result);
        return { ok: true as const, result };
      },
      (error: unknown) => ({ ok: false as const, error }),
    );
  }

  async verify(raw: Buffer, session: SMTPServerSession, pendingSpf?: PendingSpf): Promise<AuthOutcome> {
    try {
      const mailFrom = session.envelope.mailFrom;
      const sender = mailFrom ? mailFrom.address : '';
      const dkimResult = await verifyDkim(raw, { resolver: this.resolver, sender });
      const spfOutcome = await (pendingSpf ?? this.beginSpf(session, sender));
      if (!spfOutcome.ok) throw spfOutcome.error;
      const spfResult = spfOutcome.result;
      const arcResult = await arc((dkimResult as { arc?: unknown }).arc as Parameters<typeof arc>[0], { resolver: this.resolver });
      const info: string[] = dkimResult.results.map((r) => foldLine(r.info));
      const headers: string[] = [];
      if (spfResult) {
        info.push(foldLine(spfResult.info));
        headers.push(spfResult.header);
      }
      if (arcResult?.info) info.push(foldLine(arcResult.info));
      let dmarcResult: Awaited<ReturnType<typeof dmarc>> = false;
      if (dkimResult.headerFrom) {
        dmarcResult = await dmarc({
          headerFrom: dkimResult.headerFrom,
          spfDomains: spfResult?.status.result === 'pass' && spfResult.domain ? [spfResult.domain] : [],
          dkimDomains: dkimResult.results
            .filter((r) => r.status.result === 'pass')
            .map((r) => ({ id: r.id, domain: r.signingDomain, aligned: r.status.aligned, underSized: r.status.underSized })),
          arcResult,
          resolver: this.resolver,
        } as Parameters<typeof dmarc>[0]);
        const dmarcInfo = dmarcResult ? dmarcResult.info : undefined;
        if (dmarcInfo) info.push(foldLine(dmarcInfo));
      }
      headers.push(`Authentication-Results: ${this.config.hostname};\r\n ${info.join(';\r\n ')}`);
      const result = { spf: spfResult, dkim: dkimResult, dmarc: dmarcResult, arc: arcResult };
      return { headers: normalizeHeaders(`${headers.join('\r\n')}\r\n`), verdicts: toVerdicts(result as MailauthResult) };
    } catch (err) {
      this.logger.warn(`verification failed: ${(err as Error).message}`);
      const headers = `Authentication-Results: ${this.config.hostname}; spf=temperror; dkim=temperror; dmarc=temperror\r\n`;
      return { headers, verdicts: { ...NONE, spf: 'temperror', dmarc: 'temperror' } };
    }
  }
}

/**
 * mailauth folds each result at 160 columns (libmime.foldLines, not a dependency of ours): a result
 * of 160 characters or more is folded at its last space before that, as libmime does in the common
 * case; any difference in a rare case is only where a line is folded (RFC 5322 §2.2.3).
 */
function foldLine(text: string, width = 160): string {
  if (text.length < width) return text;
  const cut = text.lastIndexOf(' ', width - 1);
  return cut <= 0 ? text : `${text.slice(0, cut)}\r\n${foldLine(text.slice(cut), width)}`;
}

/**
 * DKIM (and the ARC chain) as mailauth's dkimVerify() finds them. SPF and DMARC look at the envelope
 * and the From header; only DKIM and ARC signatures read the body (their body hash). Without such a
 * signature the header block alone gives the same verdicts, so the body is not canonicalized and
 * hashed for nothing, and the block goes to the verifier already parsed (dkim-unsigned.ts).
 */
function verifyDkim(raw: Buffer, options: { resolver: unknown; sender: string }): ReturnType<typeof dkimVerify> {
  const block = findHeaderBlock(raw);
  if (!block || hasBodySignatures(block)) return dkimVerify(raw, options as Parameters<typeof dkimVerify>[1]);
  // A bare CR or LF would let mailauth's stream parser end the block elsewhere (the MX refuses
  // such messages before this; other callers keep the stream's reading).
  if (/\r(?!\n)|(?<!\r)\n/.test(block.text)) return dkimVerify(raw.subarray(0, block.length), options as Parameters<typeof dkimVerify>[1]);
  return verifyUnsignedDkim(raw.subarray(0, block.length), options);
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
