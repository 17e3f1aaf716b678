import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { AccountPurgeWorker } from './accounts/account-purge.worker.js';
import { AdminAccountsController } from './admin-accounts.controller.js';
import { AdminAliasesController } from './admin-aliases.controller.js';
import { AdminAuditController } from './admin-audit.controller.js';
import { AdminDomainsController } from './admin-domains.controller.js';
import { AdminQueueController } from './admin-queue.controller.js';
import { AdminAuditRepository } from './audit/admin-audit.repository.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';

/** The admin REST API (/api/v1/admin/*, admin role only). Owns admin_audit (insert-only). */
@Module({
  imports: [DirectoryModule, DeliveryModule],
  controllers: [AdminDomainsController, AdminAccountsController, AdminAliasesController, AdminQueueController, AdminAuditController],
  providers: [AdminAuditRepository, AuditInterceptor, AccountPurgeWorker],
})
export class AdminModule {}
