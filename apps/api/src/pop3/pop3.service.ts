import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { MailLoginService } from '../security/mail-login.service.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import type { TlsMaterial } from '../tls/tls-material.js';
import type { PrefetchLimits } from './prefetch-limits.js';
import { Pop3Server } from './pop3.server.js';

export const POP3_OPTIONS = Symbol('POP3_OPTIONS');
export const POP3_TLS = Symbol('POP3_TLS');

export interface Pop3ModuleOptions {
  /** Plain port with STLS; CORREIO_POP3_PORT (1110, production 110). 0: any free port. */
  port: number;
  /** Implicit TLS; CORREIO_POP3S_PORT (1995, production 995). 0: any free port. */
  tlsPort: number;
  /** Development: plaintext logins without TLS from loopback (like CORREIO_SMTP_ALLOW_PLAIN_AUTH_ON_LOOPBACK). */
  allowPlainAuthOnLoopback?: boolean;
  /** RFC 1939 §3 autologout (default 10 minutes); shorter only in tests. */
  idleTimeoutMs?: number;
  /** CORREIO_POP3_MARK_READ: RETR marks the message \Seen. */
  markReadOnRetr?: boolean;
  /** Read-ahead window per session (maildrop-prefetch.ts PREFETCH_LIMITS); smaller only in tests. */
  prefetch?: Partial<PrefetchLimits>;
}

/** Starts the POP3 listeners with the application and stops them (cutting sessions) with it. */
@Injectable()
export class Pop3Service implements OnModuleInit, OnApplicationShutdown {
  private server: Pop3Server | undefined;
  private bound: { plain: number; tls: number } | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(POP3_OPTIONS) private readonly options: Pop3ModuleOptions,
    @Inject(POP3_TLS) private readonly tls: TlsMaterial,
    private readonly login: MailLoginService,
    private readonly store: MailboxStoreService,
    private readonly events: MailEventsService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.server = new Pop3Server(
      {
        bind: this.config.bind,
        hostname: this.config.hostname,
        port: this.options.port,
        tlsPort: this.options.tlsPort,
        allowPlainAuthOnLoopback: this.options.allowPlainAuthOnLoopback ?? false,
        idleTimeoutMs: this.options.idleTimeoutMs,
        markReadOnRetr: this.options.markReadOnRetr ?? false,
        prefetch: this.options.prefetch,
        tls: this.tls,
      },
      this.login,
      this.store,
      this.events,
    );
    this.bound = await this.server.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.stop();
  }

  /** Open sessions (tests wait for a dropped one to be gone). */
  get sessionCount(): number {
    return this.server?.sessionCount ?? 0;
  }

  /** The ports bound (useful with port 0). */
  get ports(): { plain: number; tls: number } {
    return this.bound ?? { plain: this.options.port, tls: this.options.tlsPort };
  }
}
