import { Global, Module } from '@nestjs/common';
import type { AppConfig } from './config.schema.js';
import { APP_CONFIG } from './load-config.js';

/** Provides the validated AppConfig (inject with @Inject(APP_CONFIG)). */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig) {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
