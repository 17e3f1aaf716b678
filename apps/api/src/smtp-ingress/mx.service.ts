import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { summarizeMessage } from '@correio/mime';
import type { SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { AppConfig } from '../config/config.schema.js';
import { AppError, ErrorCode } from '../common/app-error.js';
import { APP_CONFIG } from '../config/load-config.js';
import { LocalDelivery } from '../delivery/local-delivery.js';
import { DNS_RESOLVER, type DnsResolver } from '../dns/dns-resolver.js';
import { DirectoryService } from '../directory/directory.service.js';
import type { DeliveryRequest } from '../mailbox-store/mailbox-store.types.js';
import type { TlsMaterial } from '../tls/tls-material.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { checkInboundMessage } from './inbound-checks.js';
import { InboundAuthentication, type PendingSpf } from './inbound-authentication.js';
import { prependHeaders, transactionId } from './message-headers.js';
import { readStream } from './read-stream.js';
import { buildReceivedHeader } from './received-header.js';
import { type Listener, SMTP_CONNECTION_LIMITER, startListener } from './smtp-listener.js';
import { smtpError, toSmtpError } from './smtp-replies.js';
import { SMTP_TLS } from './smtp-tls.js';
import { messagesReceived } from '../metrics/metrics.js';

interface MxSession extends SMTPServerSession {
  /** Accounts the accepted RCPTs resolved to, deduplicated (one copy per account). */
  correioTargets?: Set<string>;
  /** External destinations of the accepted RCPTs' aliases, for the outbound queue. */
  correioForwards?: Map<string, { address: string; notify?: string[]; orcpt: string }>;
  /** The transaction's SPF check, begun at MAIL FROM (it needs only the envelope). */
  correioSpf?: PendingSpf;
}

/**
 * The MX (RFC 5321 server role): receives mail for local addresses from anyone, never relays
 * (RFC 5321 §3.6, §7.1), verifies SPF/DKIM/DMARC/ARC, adds Received and Authentication-Results,
 * and answers 250 to DATA only after the COMMIT that stores every copy (DESIGN invariant 1).
 * Advertised: PIPELINING, SIZE, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES, DSN, STARTTLS.
 */
@Injectable()
export class MxService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('smtp-mx');
  private listener?: Listener;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SMTP_TLS) private readonly tls: TlsMaterial,
    @Inject(SMTP_CONNECTION_LIMITER) private readonly limiter: ConnectionLimiter,
    @Inject(DNS_RESOLVER) private readonly dns: DnsResolver,
    private readonly directory: DirectoryService,
    private readonly auth: InboundAuthentication,
    private readonly local: LocalDelivery,
  ) {}

  async onModuleInit(): Promise<void> {
    this.directory.watchForChanges();
    this.listener = await startListener('smtp-mx', this.config.bind, this.config.smtp.port, this.limiter, {
      name: this.config.hostname,
      banner: 'Correio ESMTP',
      size: this.config.smtp.maxMessageBytes,
      rejectOversized: true,
      maxRecipients: this.config.smtp.maxRecipients,
      key: this.tls.key,
      cert: this.tls.cert,
      // The MX never authenticates: submission (2587/2465) is where users log in.
      disabledCommands: ['AUTH'],
      authOptional: true,
      correio: { greetingDelayMs: this.config.smtp.greetingDelayMs },
      onMailFrom: (address, session, cb) => {
        // MAIL starts a transaction (RFC 5321 §4.1.1.2): nothing of an earlier one carries over.
        // smtp-server's reset (RSET, a finished or refused DATA) renews only its own envelope, so the
        // recipients this service collected are dropped here — an RSET recipient never gets the mail.
        const mx = session as MxSession;
        mx.correioTargets = undefined;
        mx.correioForwards = undefined;
        // SPF runs while the client sends RCPT, DATA and the message; end of data awaits it. The 250
        // goes out first, so the check's own work does not delay it.
        cb();
        mx.correioSpf = this.auth.beginSpf(session, address.address);
      },
      onRcptTo: (address, session, cb) => {
        this.acceptRecipient(address, session as MxSession).then(() => cb(), (err: Error) => cb(err));
      },
      onData: (stream, session, cb) => {
        this.receive(stream, session as MxSession).then(
          (text) => cb(null, text),
          (err: Error) => cb(err),
        );
      },
    }, this.config.smtp.reverseDns ? this.dns : undefined);
  }

  get port(): number {
    return this.listener?.port ?? this.config.smtp.port;
  }

  private async acceptRecipient(address: SMTPServerAddress, session: MxSession): Promise<void> {
    try {
      // Issue 15: a bounce to an SRS0 address of a forward we made goes back to the original sender.
      const srsOriginal = this.local.reverseSrs(address.address);
      if (srsOriginal) {
        session.correioForwards ??= new Map();
        session.correioForwards.set(srsOriginal, { address: srsOriginal, orcpt: `rfc822;${address.address}` });
        return;
      }
      const resolution = await this.directory.resolveRecipientCached(address.address);
      if (resolution.kind === 'remote') throw smtpError(550, '5.7.1', 'Relaying denied');
      if (resolution.kind === 'unknown') {
        // RFC 3463 X.2.1: the mailbox exists but an admin disabled it.
        if (resolution.disabled) throw smtpError(550, '5.2.1', 'Mailbox disabled, not accepting messages');
        throw smtpError(550, '5.1.1', 'No such user here');
      }
      // RFC 3463 4.2.2: a full mailbox is temporary; the sender retries after the user cleans up.
      if (resolution.overQuota.length > 0) throw smtpError(452, '4.2.2', 'Mailbox full, try again later');
      session.correioTargets ??= new Set();
      for (const id of resolution.accountIds) session.correioTargets.add(id);
      // An alias may forward outside: the forward keeps the RCPT's DSN request, and names the address
      // the sender used as the original recipient (RFC 3461 §4.2), so a bounce says what they wrote.
      const dsn = (address as { dsn?: { notify?: string[]; orcpt?: string } }).dsn;
      session.correioForwards ??= new Map();
      for (const f of resolution.forwards) {
        if (!session.correioForwards.has(f)) session.correioForwards.set(f, { address: f, notify: dsn?.notify, orcpt: dsn?.orcpt ?? `rfc822;${address.address}` });
      }
    } catch (err) {
      throw (err as { responseCode?: number }).responseCode ? err : toSmtpError(err);
    }
  }

  /**
   * Called at the DATA command (smtp-server's onData), before the message arrives: what depends only
   * on the envelope — the transaction id, the Received header, the targets, the DSN parameters — is
   * done while the client sends, so end of data does only what needs the message. The Received time
   * stamp is then the DATA command's, as Postfix's smtpd writes it.
   */
  private async receive(stream: SMTPServerDataStream, session: MxSession): Promise<string> {
    const targets = [...(session.correioTargets ?? [])].map((accountId) => ({ accountId, mailbox: { specialUse: 'inbox' as const }, incoming: true }));
    const forwards = [...(session.correioForwards?.values() ?? [])];
    const pendingSpf = session.correioSpf;
    session.correioTargets = undefined;
    session.correioForwards = undefined;
    session.correioSpf = undefined;
    const id = transactionId();
    const mailFrom = session.envelope.mailFrom;
    const rcpts = session.envelope.rcptTo;
    const received = buildReceivedHeader(session, { hostname: this.config.hostname, id, recipient: rcpts.length === 1 ? rcpts[0]!.address : undefined });
    const envelopeFrom = mailFrom ? mailFrom.address : '';
    const dsn = dsnOf(session);
    const raw = await readStream(stream);
    // Over SIZE: smtp-server answers 552 5.3.4 itself (rejectOversized); nothing is stored.
    if (stream.sizeExceeded) return 'ignored';
    const refusal = await checkInboundMessage(raw);
    if (refusal) throw refusal;
    try {
      const [auth, summary] = await Promise.all([this.auth.verify(raw, session, pendingSpf), summarizeMessage(raw)]);
      const stored = prependHeaders(auth.headers + received, raw);
      const delivery: DeliveryRequest = { raw: stored, summary, envelopeFrom, targets, authResults: auth.verdicts, dsn };
      // Local copies and queued forwards commit together: the 250 covers both (DESIGN invariant 1).
      const copies = await this.local.storeAndForward(delivery, forwards);
      messagesReceived.inc();
      this.logger.log(`${id} stored ${stored.length} bytes for ${copies.length} mailbox(es) from ${session.remoteAddress}`);
      return `2.0.0 Ok: queued as ${id}`;
    } catch (err) {
      this.logger.warn(`${id} not stored: ${(err as Error).message}`);
      // A cached recipient whose mailbox filled up (or whose account went away in another process):
      // look it up again, so the next RCPT is answered from the directory as it is now.
      if (err instanceof AppError && (err.code === ErrorCode.OverQuota || err.code === ErrorCode.NotFound)) this.directory.forgetCachedRecipients();
      throw toSmtpError(err);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const l = this.listener;
    this.listener = undefined;
    // smtp-server stops accepting, lets open transactions finish, then answers 421 and closes.
    await l?.close();
  }
}

/** RFC 3461 parameters of the transaction, as smtp-server parsed them. */
export function dsnOf(session: SMTPServerSession): unknown {
  const env = session.envelope as SMTPServerSession['envelope'] & { dsn?: { ret?: string; envid?: string } };
  const rcpt = session.envelope.rcptTo
    .map((r) => ({ address: r.address, ...((r as { dsn?: { notify?: string[]; orcpt?: string } }).dsn ?? {}) }))
    .filter((r) => 'notify' in r || 'orcpt' in r);
  if (!env.dsn?.ret && !env.dsn?.envid && rcpt.length === 0) return undefined;
  return { ret: env.dsn?.ret ?? null, envid: env.dsn?.envid ?? null, rcpt };
}
