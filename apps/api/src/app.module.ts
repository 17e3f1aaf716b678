import { type DynamicModule, Module } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { AdminModule } from './admin/admin.module.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { AutoconfigModule } from './autoconfig/autoconfig.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BulkModule } from './bulk/bulk.module.js';
import { ComposeModule } from './compose/compose.module.js';
import type { AppConfig } from './config/config.schema.js';
import { APP_CONFIG } from './config/load-config.js';
import { ConfigModule } from './config/config.module.js';
import { ContactsModule } from './contacts/contacts.module.js';
import { ConversationsModule } from './conversations/conversations.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DeliveryModule } from './delivery/delivery.module.js';
import { DirectoryModule } from './directory/directory.module.js';
import { DnsModule } from './dns/dns.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { ImapModule } from './imap/imap.module.js';
import { LabelsModule } from './labels/labels.module.js';
import { MailboxStoreModule } from './mailbox-store/mailbox-store.module.js';
import { MessagesModule } from './messages/messages.module.js';
import { Pop3Module } from './pop3/pop3.module.js';
import { SmtpIngressModule } from './smtp-ingress/smtp-ingress.module.js';
import { RulesApiModule } from './rules/rules-api.module.js';
import { TrustModule } from './trust/trust.module.js';
import { UploadsModule } from './uploads/uploads.module.js';
import { WebhooksModule, WebhookWorkerModule } from './webhooks/webhooks.module.js';

/** The application: shared modules always, then one set of modules per configured role. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, pool: Pool, db: { isPglite: boolean } = { isPglite: false }): DynamicModule {
    const roleModules = [
      ...(config.roles.includes('http')
        ? [AuthModule, ApiKeysModule, MessagesModule, ComposeModule, UploadsModule, ContactsModule, AdminModule, HealthModule, WebhooksModule, MetricsModule, AutoconfigModule]
        : []),
      // Webmail (issue 12): conversations, labels and counts, bulk actions with undo, trust signals.
      ...(config.roles.includes('http') ? [LabelsModule, ConversationsModule, BulkModule, TrustModule] : []),
      // Mail rules (issue 15): filters, Sieve, vacation, forwarding, blocked/allowed senders (REST).
      ...(config.roles.includes('http') ? [RulesApiModule] : []),
      ...(config.roles.includes('smtp') ? [SmtpIngressModule] : []),
      ...(config.roles.includes('delivery') ? [DeliveryModule, WebhookWorkerModule] : []),
      ...(config.roles.includes('pop3') ? [Pop3Module.forRoot(config.pop3)] : []),
      ...(config.roles.includes('imap') ? [ImapModule.forRoot(config.imap)] : []),
    ];
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(pool, { preparedStatements: !db.isPglite, listenNotify: !db.isPglite }), EventsModule, DnsModule, MailboxStoreModule, DirectoryModule, ...roleModules],
    };
  }
}

export { APP_CONFIG };
