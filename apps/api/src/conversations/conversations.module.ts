import { Module } from '@nestjs/common';
import { LabelsModule } from '../labels/labels.module.js';
import { ConversationsController } from './conversations.controller.js';
import { ConversationsService } from './conversations.service.js';
import { ConversationRepository } from './repositories/conversation.repository.js';

/**
 * Conversations (role http, issue 12): the webmail's lists — conversations grouped by the store's
 * thread id across mailboxes, a conversation's messages, and the flat keyset-paged list with labels.
 * Owns no tables; reads the mail store's messages/mailboxes read-only in single statements
 * (ConversationRepository; indexes in migration 20261211100000_webmail).
 */
@Module({ imports: [LabelsModule], controllers: [ConversationsController], providers: [ConversationsService, ConversationRepository] })
export class ConversationsModule {}
