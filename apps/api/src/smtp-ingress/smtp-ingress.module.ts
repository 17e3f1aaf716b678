import { SecurityModule } from '../security/security.module.js';
import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { OutgoingModule } from '../outgoing/outgoing.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { loadTlsMaterial } from '../tls/tls-material.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { InboundAuthentication } from './inbound-authentication.js';
import { MxService } from './mx.service.js';
import { SMTP_CONNECTION_LIMITER } from './smtp-listener.js';
import { SMTP_TLS } from './smtp-tls.js';
import { SubmissionService } from './submission.service.js';

/**
 * SMTP (role `smtp`): the MX (2525/25) and submission (2587 STARTTLS, 2465 TLS; 587/465). Owns no
 * tables: stores through the mail store, queues through delivery, asks the directory.
 */
@Module({
  imports: [DirectoryModule, MailboxStoreModule, DeliveryModule, OutgoingModule, SecurityModule],
  providers: [
    MxService,
    SubmissionService,
    InboundAuthentication,
    { provide: SMTP_TLS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadTlsMaterial(config) },
    { provide: SMTP_CONNECTION_LIMITER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new ConnectionLimiter(config.smtp.maxConnectionsPerIp) },
  ],
  exports: [MxService, SubmissionService],
})
export class SmtpIngressModule {}
