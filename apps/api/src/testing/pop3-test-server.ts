import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { ConfigModule } from '../config/config.module.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DatabaseModule } from '../database/database.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { EventsModule } from '../events/events.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import type { TestApp } from './test-app.js';
import { Pop3Module } from '../pop3/pop3.module.js';
import { type Pop3ModuleOptions, Pop3Service } from '../pop3/pop3.service.js';

@Module({})
class Pop3TestRoot {}

/**
 * Pop3Module beside a running test app, on its database: the same modules AppModule would combine
 * for the `pop3` role (until the role switch lists it), listening on free ports.
 */
export async function startPop3(t: TestApp, options: Partial<Pop3ModuleOptions> = {}): Promise<{ ctx: INestApplicationContext; ports: { plain: number; tls: number }; close(): Promise<void> }> {
  const config = t.app.get<AppConfig>(APP_CONFIG);
  const ctx = await NestFactory.createApplicationContext(
    {
      module: Pop3TestRoot,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(t.db.pool, { preparedStatements: !t.db.isPglite }),
        EventsModule,
        MailboxStoreModule,
        DirectoryModule,
        Pop3Module.forRoot({ port: 0, tlsPort: 0, allowPlainAuthOnLoopback: true, ...options }),
      ],
    },
    { logger: false },
  );
  await ctx.init();
  return { ctx, ports: ctx.get(Pop3Service).ports, close: () => ctx.close() };
}
