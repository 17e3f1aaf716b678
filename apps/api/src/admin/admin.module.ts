import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { AccountPurgeWorker } from './accounts/account-purge.worker.js';
import { AdminAccountsController } from './admin-accounts.controller.js';
import { AdminAliasesController } from './admin-aliases.controller.js';
import { AdminAuditController } from './admin-audit.controller.js';
import { AdminDomainsController } from './admin-domains.controller.js';
import { AdminOverviewController } from './admin-overview.controller.js';
import { AdminQueueController } from './admin-queue.controller.js';
import { AdminAuditRepository } from './audit/admin-audit.repository.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';
import { QueueMetricsRepository } from '../metrics/queue-metrics.repository.js';
import { OverviewRepository } from './overview/overview.repository.js';
import { OverviewService } from './overview/overview.service.js';
import { TrafficRollupRepository } from './overview/traffic-rollup.repository.js';
import { TrafficGauges } from './overview/traffic-gauges.js';
import { TrafficRollupWorker } from './overview/traffic-rollup.worker.js';

/** The admin REST API (/api/v1/admin/*, admin role only). Owns admin_audit (insert-only), admin_traffic_hourly and admin_rollup_cursor. */
@Module({
  imports: [DirectoryModule, DeliveryModule, MailboxStoreModule],
  controllers: [AdminDomainsController, AdminAccountsController, AdminAliasesController, AdminQueueController, AdminAuditController, AdminOverviewController],
  providers: [
    AdminAuditRepository,
    AuditInterceptor,
    AccountPurgeWorker,
    // Overview (issue 14): the rollup table is this module's; the queue gauges' query is reused.
    OverviewService,
    OverviewRepository,
    QueueMetricsRepository,
    TrafficRollupRepository,
    TrafficRollupWorker,
    TrafficGauges,
  ],
})
export class AdminModule {}
