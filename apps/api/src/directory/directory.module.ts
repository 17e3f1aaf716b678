import { Module } from '@nestjs/common';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { DirectoryRepositoriesModule } from './directory-repositories.module.js';
import { DirectoryService } from './directory.service.js';

/**
 * Directory. Owns the tables domains, accounts, aliases. Exports DirectoryService (accounts,
 * passwords, recipient resolution). Account creation also creates the standard mailboxes, through
 * the mail store, in the same transaction.
 */
@Module({
  imports: [DirectoryRepositoriesModule, MailboxStoreModule],
  providers: [DirectoryService],
  exports: [DirectoryService],
})
export class DirectoryModule {}
