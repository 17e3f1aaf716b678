import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DNS_RESOLVER, type DnsResolver } from './dns-resolver.js';
import { ReloadingDnsResolver } from './reloading-dns-resolver.js';
import { StaticDnsResolver } from './static-dns-resolver.js';
import { SystemDnsResolver } from './system-dns-resolver.js';

/**
 * Provides the one DnsResolver (CORREIO_DNS=static|system). Owns no tables. Tests may override the
 * provider with their own StaticDnsResolver to change records during a test.
 */
@Global()
@Module({
  providers: [
    {
      provide: DNS_RESOLVER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): DnsResolver =>
        config.dns.mode === 'system'
          ? new SystemDnsResolver(config.dns.servers)
          : config.dns.recordsFile
            ? new ReloadingDnsResolver(config.dns.recordsFile)
            : new StaticDnsResolver(),
    },
  ],
  exports: [DNS_RESOLVER],
})
export class DnsModule {}
