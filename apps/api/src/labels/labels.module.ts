import { Module } from '@nestjs/common';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { LabelsController } from './labels.controller.js';
import { LabelRowsCache } from './label-rows.cache.js';
import { LabelsService } from './labels.service.js';
import { CountsRepository } from './repositories/counts.repository.js';
import { LabelRepository } from './repositories/label.repository.js';

/**
 * Labels (role http, issue 12). Owns the labels table: named, coloured IMAP keywords. Exports
 * LabelsService (conversations and bulk map keywords ↔ labels with it). Changes keywords on the mail
 * store's messages only through the store (KeywordRewriteService: rename/delete of a keyword across
 * mailboxes, with the label row in the same transaction); reads the label counts the store keeps
 * (mailbox_keyword_counts). Keeps each account's label rows in memory for the lists (label-rows.cache.ts).
 */
@Module({
  imports: [MailboxStoreModule],
  controllers: [LabelsController],
  providers: [LabelsService, LabelRepository, CountsRepository, LabelRowsCache],
  exports: [LabelsService],
})
export class LabelsModule {}
