import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { AdminDomainsController } from './admin-domains.controller.js';

/** The admin REST API (/api/v1/admin/*, admin role only). Owns no tables. */
@Module({ imports: [DirectoryModule], controllers: [AdminDomainsController] })
export class AdminModule {}
