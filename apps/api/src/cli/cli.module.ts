import { type DynamicModule, Module } from '@nestjs/common';
import type { Pool } from '@correio/db';
import type { AppConfig } from '../config/config.schema.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { EventsModule } from '../events/events.module.js';

/** What the admin command line needs: the directory and the store, no listeners. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, pool: Pool): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(pool), EventsModule, DirectoryModule] };
  }
}
