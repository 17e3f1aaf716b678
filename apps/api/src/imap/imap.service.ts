import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LoginThrottle } from '../auth/login-throttle.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { MailLoginService } from '../security/mail-login.service.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { ImapStoreService } from '../mailbox-store/imap-store.service.js';
import type { TlsMaterial } from '../tls/tls-material.js';
import { IMAP_SERVER_LIMITS, type ImapLimits } from './imap-limits.js';
import { ImapServer } from './imap.server.js';

export const IMAP_OPTIONS = Symbol('IMAP_OPTIONS');
export const IMAP_TLS = Symbol('IMAP_TLS');

export interface ImapModuleOptions {
  /** Plain port with STARTTLS; CORREIO_IMAP_PORT (1143, production 143). 0: any free port. */
  port: number;
  /** Implicit TLS; CORREIO_IMAPS_PORT (1993, production 993). 0: any free port. */
  tlsPort: number;
  /** Development: LOGIN/AUTHENTICATE without TLS from loopback (CORREIO_IMAP_ALLOW_PLAIN_AUTH_ON_LOOPBACK). */
  allowPlainAuthOnLoopback?: boolean;
  /** Smaller limits only in tests (idle timeout, connections). */
  limits?: Partial<ImapLimits>;
}

/** Starts the IMAP listeners with the application and stops them (BYE to every session) with it. */
@Injectable()
export class ImapService implements OnModuleInit, OnApplicationShutdown {
  private server: ImapServer | undefined;
  private bound: { plain: number; tls: number } | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IMAP_OPTIONS) private readonly options: ImapModuleOptions,
    @Inject(IMAP_TLS) private readonly tls: TlsMaterial,
    private readonly login: MailLoginService,
    private readonly store: ImapStoreService,
    private readonly events: MailEventsService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.server = new ImapServer(
      { bind: this.config.bind, port: this.options.port, tlsPort: this.options.tlsPort, tls: this.tls },
      {
        store: this.store,
        login: this.login,
        throttle: new LoginThrottle(),
        limits: { ...IMAP_SERVER_LIMITS, ...this.options.limits },
        hostname: this.config.hostname,
        logger: new Logger('imap'),
        allowPlainAuthOnLoopback: this.options.allowPlainAuthOnLoopback ?? false,
        maxMessageBytes: this.config.smtp.maxMessageBytes,
      },
      this.events,
    );
    this.bound = await this.server.start();
    // In the background: the first client after a (re)start should not pay for new database
    // connections and their cold catalog caches (issue 11's "cold" full sync).
    this.store.warmUp().catch((err: unknown) => new Logger('imap').warn(`database warm-up failed: ${String(err)}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.stop();
  }

  /** Open sessions (tests wait for a dropped one to be gone). */
  get sessionCount(): number {
    return this.server?.sessionCount ?? 0;
  }

  /** Bytes buffered for all sessions (tests of a client that stops reading). */
  bufferedBytes(): { output: number; input: number } {
    return this.server?.bufferedBytes() ?? { output: 0, input: 0 };
  }

  /** The ports bound (useful with port 0). */
  get ports(): { plain: number; tls: number } {
    return this.bound ?? { plain: this.options.port, tls: this.options.tlsPort };
  }
}
