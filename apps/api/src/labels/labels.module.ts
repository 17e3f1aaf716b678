import { Module } from '@nestjs/common';
import { LabelsController } from './labels.controller.js';
import { LabelsService } from './labels.service.js';
import { CountsRepository } from './repositories/counts.repository.js';
import { KeywordRewriteRepository } from './repositories/keyword-rewrite.repository.js';
import { LabelRepository } from './repositories/label.repository.js';

/**
 * Labels (role http, issue 12). Owns the labels table: named, coloured IMAP keywords. Exports
 * LabelsService (conversations and bulk map keywords ↔ labels with it). Writes the mail store's
 * messages/mailboxes in one place only, KeywordRewriteRepository (rename/delete of a keyword across
 * mailboxes, following the store's lock order and modseq rules), and reads them for counts.
 */
@Module({
  controllers: [LabelsController],
  providers: [LabelsService, LabelRepository, KeywordRewriteRepository, CountsRepository],
  exports: [LabelsService],
})
export class LabelsModule {}
