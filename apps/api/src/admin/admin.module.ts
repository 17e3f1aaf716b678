import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { AdminDomainsController } from './admin-domains.controller.js';
import { AdminQueueController } from './admin-queue.controller.js';

/** The admin REST API (/api/v1/admin/*, admin role only). Owns no tables. */
@Module({ imports: [DirectoryModule, DeliveryModule], controllers: [AdminDomainsController, AdminQueueController] })
export class AdminModule {}
