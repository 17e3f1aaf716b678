import { Module } from '@nestjs/common';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { DirectoryRepositoriesModule } from './directory-repositories.module.js';
import { AliasService } from './alias.service.js';
import { DirectoryService } from './directory.service.js';
import { DkimRotationService } from './dkim-rotation.service.js';
import { IdentityService } from './identity.service.js';
import { AccountCredentialsService } from './account-credentials.service.js';
import { LoginFailuresService } from './login-failures.service.js';

/**
 * Directory. Owns the tables domains, accounts, aliases, dkim_keys, signatures, login_failures_hourly. Exports DirectoryService
 * (domains, accounts, passwords, recipient resolution) and AliasService (aliases; its writes forget
 * DirectoryService's recipient cache) and IdentityService (addresses an account sends as, their
 * signatures, the undo-send setting) and AccountCredentialsService (the account's own password and
 * display name, issue 15) and LoginFailuresService (failed logins per hour, for the admin overview). Account creation also creates the standard mailboxes, through
 * the mail store, in the same transaction.
 */
@Module({
  imports: [DirectoryRepositoriesModule, MailboxStoreModule],
  providers: [DirectoryService, AliasService, IdentityService, DkimRotationService, AccountCredentialsService, LoginFailuresService],
  exports: [DirectoryService, AliasService, IdentityService, DkimRotationService, AccountCredentialsService, LoginFailuresService],
})
export class DirectoryModule {}
