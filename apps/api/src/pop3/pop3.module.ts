import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { SecurityModule } from '../security/security.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { loadTlsMaterial } from '../tls/tls-material.js';
import { POP3_OPTIONS, POP3_TLS, type Pop3ModuleOptions, Pop3Service } from './pop3.service.js';

/**
 * POP3 (role `pop3`, RFC 1939): port 1110 with STLS and 1995 with implicit TLS (110/995 in
 * production). Owns no tables: logs in through the directory, reads and expunges through the mail
 * store. Exports Pop3Service (bound ports). Invariants:
 * - The maildrop is the INBOX snapshotted at login; message numbers are fixed for the session.
 * - Only QUIT in TRANSACTION deletes (UPDATE), all marked messages in ONE transaction; a dropped or
 *   timed-out connection deletes nothing. Nothing is ever marked \Seen by POP3.
 * - One session per account at a time (in-process lock, maildrop-lock.ts): the second gets -ERR [IN-USE].
 * - Passwords only over TLS, except from loopback when allowPlainAuthOnLoopback is set.
 * - RETR/TOP are served from a bounded read-ahead of the maildrop (maildrop-prefetch.ts: batches of
 *   blobs in one COPY on a worker thread, 256 messages / 4 MiB per session, 128 MiB per server); a message deleted
 *   meanwhile (change bus) is never served from it.
 */
@Module({})
export class Pop3Module {
  static forRoot(options: Pop3ModuleOptions): DynamicModule {
    return {
      module: Pop3Module,
      imports: [DirectoryModule, MailboxStoreModule, SecurityModule],
      providers: [
        { provide: POP3_OPTIONS, useValue: options },
        { provide: POP3_TLS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadTlsMaterial(config) },
        Pop3Service,
      ],
      exports: [Pop3Service],
    };
  }
}
