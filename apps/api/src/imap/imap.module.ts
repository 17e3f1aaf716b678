import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { SecurityModule } from '../security/security.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { loadTlsMaterial } from '../tls/tls-material.js';
import { IMAP_OPTIONS, IMAP_TLS, type ImapModuleOptions, ImapService } from './imap.service.js';

/**
 * IMAP (role `imap`; RFC 3501 and RFC 9051 with the extensions in @correio/imap-protocol's
 * capabilities): port 1143 with STARTTLS and 1993 with implicit TLS (143/993 in production).
 * Owns no tables: logs in through the directory, reads and changes mail only through the store's
 * ImapStore port (mailbox-store/imap-store.types.ts). Exports ImapService (bound ports).
 * Invariants:
 * - Passwords only over TLS (LOGINDISABLED before it), except from loopback when the development
 *   setting allows it; login failures are throttled per IP and account like POP3's.
 * - One command at a time per session, in order; untagged EXISTS/EXPUNGE/FETCH from other sessions
 *   only where RFC 9051 §7.5.1 allows (never during FETCH/STORE/SEARCH), at once during IDLE.
 * - Changes reach sessions through the change bus after COMMIT (DESIGN invariant 6), across processes
 *   when the bus is PostgreSQL LISTEN/NOTIFY.
 * - A client that stops reading stops its session (bounded output); every limit is in imap-limits.ts
 *   or the lib's IMAP_LIMITS; internal errors never reach the wire (imap-errors.ts).
 */
@Module({})
export class ImapModule {
  static forRoot(options: ImapModuleOptions): DynamicModule {
    return {
      module: ImapModule,
      imports: [DirectoryModule, MailboxStoreModule, SecurityModule],
      providers: [
        { provide: IMAP_OPTIONS, useValue: options },
        { provide: IMAP_TLS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadTlsMaterial(config) },
        ImapService,
      ],
      exports: [ImapService],
    };
  }
}
