import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '../config/config.schema.js';
import { ConfigModule } from '../config/config.module.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DatabaseModule } from '../database/database.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { EventsModule } from '../events/events.module.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import type { TestApp } from './test-app.js';
import { ImapModule } from '../imap/imap.module.js';
import { type ImapModuleOptions, ImapService } from '../imap/imap.service.js';

@Module({})
class ImapTestRoot {}

/**
 * ImapModule beside a running test app, on its database, hearing the app's change bus (so a
 * delivery through the app reaches IMAP sessions as in one process), on free ports, with plaintext
 * logins allowed from loopback unless a test says otherwise, and the limits a test asks for.
 */
export async function startImap(
  t: TestApp,
  options: Partial<ImapModuleOptions> = {},
): Promise<{ ctx: INestApplicationContext; ports: { plain: number; tls: number }; service: ImapService; close(): Promise<void> }> {
  const config = t.app.get<AppConfig>(APP_CONFIG);
  const events = t.app.get(MailEventsService);
  const ctx = await NestFactory.createApplicationContext(
    {
      module: ImapTestRoot,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(t.db.pool, { preparedStatements: !t.db.isPglite }),
        EventsModule,
        MailboxStoreModule,
        DirectoryModule,
        ImapModule.forRoot({ port: 0, tlsPort: 0, allowPlainAuthOnLoopback: true, ...options }),
      ],
    },
    { logger: false },
  );
  // The app's changes (deliveries through t.store or its MX) reach these sessions too; this
  // context's own store publishes on its own bus, which its sessions hear directly.
  const local = ctx.get(MailEventsService);
  const unbridge = events.subscribe((change) => local.publish(change));
  await ctx.init();
  const service = ctx.get(ImapService);
  return {
    ctx,
    ports: service.ports,
    service,
    async close() {
      unbridge();
      await ctx.close();
    },
  };
}
