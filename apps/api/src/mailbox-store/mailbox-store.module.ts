import { Module } from '@nestjs/common';
import { DirectoryRepositoriesModule } from '../directory/directory-repositories.module.js';
import { PostgresBlobStore } from './blob-store.js';
import { BLOB_STORE } from './blob-store.token.js';
import { ImapAppend } from './imap-append.js';
import { ImapBlobReaper } from './imap-blob-reaper.js';
import { ImapMailboxes } from './imap-mailboxes.js';
import { ImapMessageWrites } from './imap-message-writes.js';
import { ImapStoreService } from './imap-store.service.js';
import { ImapStructureKeeper } from './imap-structure-keeper.js';
import { KeywordRewriteService } from './keyword-rewrite.service.js';
import { MailboxDelivery } from './mailbox-delivery.js';
import { MailboxDrafts } from './mailbox-drafts.js';
import { MailboxMessageWrites } from './mailbox-message-writes.js';
import { MailboxStoreService } from './mailbox-store.service.js';
import { ImapMailboxRepository } from './repositories/imap-mailbox.repository.js';
import { ImapFormsRepository } from './repositories/imap-forms.repository.js';
import { ImapBlobsRepository } from './repositories/imap-blobs.repository.js';
import { ImapBodiesRepository } from './repositories/imap-bodies.repository.js';
import { ImapMessageRepository } from './repositories/imap-message.repository.js';
import { ImapRowWritesRepository } from './repositories/imap-row-writes.repository.js';
import { ImapSearchRepository } from './repositories/imap-search.repository.js';
import { KeywordRewriteRepository } from './repositories/keyword-rewrite.repository.js';
import { DeliveryRepository } from './repositories/delivery.repository.js';
import { MailboxRepository } from './repositories/mailbox.repository.js';
import { MessageRepository } from './repositories/message.repository.js';
import { MessageTextIndexer } from './search/message-text.indexer.js';
import { MessageSearchService } from './search/message-search.service.js';

/**
 * Mail store. Owns the tables mailboxes, messages, blobs, expunged, message_text and
 * message_text_pending (search), message_structures (IMAP FETCH). Exports MailboxStoreService, the only way other modules read or
 * change mail, and ImapStoreService, the same store as IMAP sees it (imap-store.types.ts), and
 * KeywordRewriteService (a keyword renamed or removed across mailboxes: labels). Invariants: see mailbox-store.service.ts.
 */
@Module({
  imports: [DirectoryRepositoriesModule],
  providers: [
    MailboxStoreService,
    MailboxDelivery,
    MailboxMessageWrites,
    MailboxDrafts,
    MailboxRepository,
    MessageRepository,
    DeliveryRepository,
    { provide: BLOB_STORE, useClass: PostgresBlobStore },
    ImapStoreService,
    ImapMailboxes,
    ImapAppend,
    ImapMessageWrites,
    ImapBlobReaper,
    ImapMailboxRepository,
    ImapMessageRepository,
    ImapRowWritesRepository,
    ImapBlobsRepository,
    ImapBodiesRepository,
    ImapFormsRepository,
    ImapStructureKeeper,
    ImapSearchRepository,
    MessageTextIndexer,
    MessageSearchService,
    KeywordRewriteService,
    KeywordRewriteRepository,
  ],
  exports: [MailboxStoreService, ImapStoreService, MessageSearchService, KeywordRewriteService],
})
export class MailboxStoreModule {}
