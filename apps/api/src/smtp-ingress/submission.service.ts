import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { summarizeMessage } from '@correio/mime';
import type { SMTPServerAddress, SMTPServerAuthentication, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { LoginThrottle } from '../auth/login-throttle.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DNS_RESOLVER, type DnsResolver } from '../dns/dns-resolver.js';
import { DirectoryService } from '../directory/directory.service.js';
import { MailLoginService, TWO_FACTOR_HINT } from '../security/mail-login.service.js';
import { OutgoingService } from '../outgoing/outgoing.service.js';
import type { TlsMaterial } from '../tls/tls-material.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { checkInboundMessage } from './inbound-checks.js';
import { missingSubmissionHeaders, prependHeaders, transactionId } from './message-headers.js';
import { dsnOf } from './mx.service.js';
import { readStream } from './read-stream.js';
import { buildReceivedHeader } from './received-header.js';
import { type Listener, SMTP_CONNECTION_LIMITER, startListener } from './smtp-listener.js';
import { SMTP_LIMITS } from './smtp-limits.js';
import { smtpError, toSmtpError } from './smtp-replies.js';
import { SMTP_TLS } from './smtp-tls.js';

interface SubmissionSession extends SMTPServerSession {
  user?: string; // the account id, set by onAuth
  correioLocal?: Set<string>;
  correioRemote?: { address: string; notify?: string[]; orcpt?: string; forwardedFor?: string }[];
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Message submission (RFC 6409) for mail clients: port 2587 with STARTTLS and 2465 with implicit
 * TLS (RFC 8314). AUTH PLAIN and LOGIN (RFC 4954) only over TLS; MAIL FROM must be an address the
 * account owns (553 5.7.1 otherwise); missing Date and Message-ID are added (RFC 6409 §8). One
 * transaction stores local recipients' copies, the sender's Sent copy and the outbound queue entry
 * for remote recipients; 250 follows its COMMIT. No greeting delay: clients wait for nothing.
 */
@Injectable()
export class SubmissionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('smtp-submission');
  private readonly throttle = new LoginThrottle();
  private listeners: Listener[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SMTP_TLS) private readonly tls: TlsMaterial,
    @Inject(SMTP_CONNECTION_LIMITER) private readonly limiter: ConnectionLimiter,
    @Inject(DNS_RESOLVER) private readonly dns: DnsResolver,
    private readonly directory: DirectoryService,
    private readonly outgoing: OutgoingService,
    private readonly mailLogin: MailLoginService,
  ) {}

  async onModuleInit(): Promise<void> {
    const common = {
      name: this.config.hostname,
      banner: 'Correio ESMTP submission',
      size: this.config.smtp.maxMessageBytes,
      rejectOversized: true,
      maxRecipients: this.config.smtp.maxRecipients,
      key: this.tls.key,
      cert: this.tls.cert,
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: false,
      // AUTH before TLS only when the development setting allows it, and then only from loopback
      // (checked again in onAuth, since smtp-server's switch is all or nothing).
      allowInsecureAuth: this.config.smtp.allowPlainAuthOnLoopback,
      maxAllowedUnauthenticatedCommands: SMTP_LIMITS.maxUnauthenticatedCommands,
      correio: { greetingDelayMs: 0, advertiseAuthOnlyOverTls: true, advertiseAuthOnLoopback: this.config.smtp.allowPlainAuthOnLoopback },
      onAuth: (auth: SMTPServerAuthentication, session: SMTPServerSession, cb: (err: Error | null | undefined, res?: { user: string }) => void) => {
        this.authenticate(auth, session).then((user) => cb(null, { user }), (err: Error) => cb(err));
      },
      onMailFrom: (address: SMTPServerAddress, session: SMTPServerSession, cb: (err?: Error | null) => void) => {
        this.checkSender(address, session as SubmissionSession).then(() => cb(), (err: Error) => cb(err));
      },
      onRcptTo: (address: SMTPServerAddress, session: SMTPServerSession, cb: (err?: Error | null) => void) => {
        this.acceptRecipient(address, session as SubmissionSession).then(() => cb(), (err: Error) => cb(err));
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err: Error | null, message?: string) => void) => {
        this.receive(stream, session as SubmissionSession).then((text) => cb(null, text), (err: Error) => cb(err));
      },
    };
    const { bind, smtp } = this.config;
    this.listeners = [
      await startListener('smtp-submission', bind, smtp.submissionPort, this.limiter, common, smtp.reverseDns ? this.dns : undefined),
      await startListener('smtp-submissions', bind, smtp.submissionsPort, this.limiter, { ...common, secure: true }, smtp.reverseDns ? this.dns : undefined),
    ];
  }

  get ports(): { starttls: number; implicitTls: number } {
    return { starttls: this.listeners[0]?.port ?? this.config.smtp.submissionPort, implicitTls: this.listeners[1]?.port ?? this.config.smtp.submissionsPort };
  }

  private async authenticate(auth: SMTPServerAuthentication, session: SMTPServerSession): Promise<string> {
    if (!session.secure && !LOOPBACK.test(session.remoteAddress)) {
      throw smtpError(538, '5.7.11', 'Encryption required for requested authentication mechanism');
    }
    const username = (auth.username ?? '').trim().toLowerCase();
    const keys = [`ip:${session.remoteAddress}`, `acct:${username}`];
    const delay = this.throttle.delayFor(keys);
    if (delay > 0) await sleep(delay);
    // RFC 4954 §6: 454 4.7.0 when the server cannot check credentials right now (database down).
    const result = await this.mailLogin.authenticate(username, auth.password ?? '', 'smtp', session.remoteAddress).catch(() => {
      throw smtpError(454, '4.7.0', 'Temporary authentication failure');
    });
    if (!result.ok) {
      this.throttle.recordFailure(keys);
      // RFC 4954 §6: 535 5.7.8 for bad credentials; the text may say an app password is needed (issue 15).
      throw smtpError(535, '5.7.8', result.needsAppPassword ? `Authentication credentials invalid: ${TWO_FACTOR_HINT}` : 'Authentication credentials invalid');
    }
    this.throttle.recordSuccess(keys);
    return result.account.id;
  }

  private async checkSender(address: SMTPServerAddress, session: SubmissionSession): Promise<void> {
    if (!session.user) throw smtpError(530, '5.7.0', 'Authentication required');
    let owned: boolean;
    try {
      owned = !!address.address && (await this.directory.canSendAs(session.user, address.address));
    } catch (err) {
      throw toSmtpError(err);
    }
    if (!owned) throw smtpError(553, '5.7.1', `Sender address rejected: not owned by the authenticated user`);
    session.correioLocal = new Set();
    session.correioRemote = [];
  }

  private async acceptRecipient(address: SMTPServerAddress, session: SubmissionSession): Promise<void> {
    try {
      const r = await this.directory.resolveRecipient(address.address);
      if (r.kind === 'unknown') {
        // RFC 3463 X.2.1: the mailbox exists but an admin disabled it.
        if (r.disabled) throw smtpError(550, '5.2.1', 'Mailbox disabled, not accepting messages');
        throw smtpError(550, '5.1.1', 'No such user here');
      }
      if (r.kind === 'remote') {
        const dsn = (address as { dsn?: { notify?: string[]; orcpt?: string } }).dsn;
        session.correioRemote!.push({ address: address.address, notify: dsn?.notify, orcpt: dsn?.orcpt });
        return;
      }
      for (const id of r.accountIds) session.correioLocal!.add(id);
      for (const f of r.forwards) session.correioRemote!.push({ address: f, forwardedFor: address.address });
    } catch (err) {
      throw (err as { responseCode?: number }).responseCode ? err : toSmtpError(err);
    }
  }

  private async receive(stream: SMTPServerDataStream, session: SubmissionSession): Promise<string> {
    const body = await readStream(stream);
    if (stream.sizeExceeded) return 'ignored';
    const refusal = await checkInboundMessage(body);
    if (refusal) throw refusal;
    const id = transactionId();
    const sender = session.user!;
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const rcpts = session.envelope.rcptTo;
    const added = missingSubmissionHeaders(body, this.config.hostname);
    const received = buildReceivedHeader(session, { hostname: this.config.hostname, id, recipient: rcpts.length === 1 ? rcpts[0]!.address : undefined });
    const raw = prependHeaders(received + added, body);
    const local = [...(session.correioLocal ?? [])];
    const remote = session.correioRemote ?? [];
    try {
      const dsn = dsnOf(session) as { ret?: string | null; envid?: string | null } | undefined;
      await this.outgoing.accept({ senderAccountId: sender, raw, summary: await summarizeMessage(raw), envelopeFrom, local, remote, dsn });
      this.logger.log(`${id} from account ${sender}: ${local.length} local, ${remote.length} queued`);
      return `2.0.0 Ok: queued as ${id}`;
    } catch (err) {
      this.logger.warn(`${id} not accepted: ${(err as Error).message}`);
      throw toSmtpError(err);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const ls = this.listeners;
    this.listeners = [];
    await Promise.all(ls.map((l) => l.close()));
  }
}
