import { Module } from '@nestjs/common';
import { LabelsModule } from '../labels/labels.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { BulkController } from './bulk.controller.js';
import { BULK_QUERY_RESOLVER } from './bulk-query.resolver.js';
import { BulkService } from './bulk.service.js';
import { BulkSelectionRepository } from './repositories/bulk-selection.repository.js';
import { BulkUndoRepository } from './repositories/bulk-undo.repository.js';
import { SearchQueryResolver } from './search-query.resolver.js';

/**
 * Bulk actions with undo (role http, issue 12). Owns bulk_undo. Changes mail only through the mail
 * store's exported services (ImapStoreService STORE/MOVE, MailboxStoreService.expungeMany); reads
 * which messages a selection names read-only. `{ query }` targets go through BULK_QUERY_RESOLVER,
 * bound to SearchQueryResolver (the mail store's search, as GET /api/v1/messages?q= answers).
 */
@Module({
  imports: [MailboxStoreModule, LabelsModule],
  controllers: [BulkController],
  providers: [BulkService, BulkSelectionRepository, BulkUndoRepository, { provide: BULK_QUERY_RESOLVER, useClass: SearchQueryResolver }],
})
export class BulkModule {}
