import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { OutgoingModule } from '../outgoing/outgoing.module.js';
import { ComposeSettingsController } from './compose-settings.controller.js';
import { DraftsController } from './drafts.controller.js';
import { DraftsService } from './drafts.service.js';

/**
 * REST for the compose window (role http): drafts (/api/v1/drafts, stored by the mail store as
 * MIME messages in Drafts) and compose settings and signatures (/api/v1/compose, the directory's
 * IdentityService). Owns no tables. Uploads and contact suggestions are their own modules.
 */
@Module({
  imports: [MailboxStoreModule, DirectoryModule, OutgoingModule],
  controllers: [DraftsController, ComposeSettingsController],
  providers: [DraftsService],
})
export class ComposeModule {}
