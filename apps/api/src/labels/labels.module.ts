import { Module } from '@nestjs/common';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { LabelsController } from './labels.controller.js';
import { LabelsService } from './labels.service.js';
import { CountsRepository } from './repositories/counts.repository.js';
import { LabelRepository } from './repositories/label.repository.js';

/**
 * Labels (role http, issue 12). Owns the labels table: named, coloured IMAP keywords. Exports
 * LabelsService (conversations and bulk map keywords ↔ labels with it). Changes keywords on the mail
 * store's messages only through the store (KeywordRewriteService: rename/delete of a keyword across
 * mailboxes, with the label row in the same transaction); reads messages for counts.
 */
@Module({
  imports: [MailboxStoreModule],
  controllers: [LabelsController],
  providers: [LabelsService, LabelRepository, CountsRepository],
  exports: [LabelsService],
})
export class LabelsModule {}
