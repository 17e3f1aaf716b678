import { Injectable } from '@nestjs/common';
import type { MessageFlagsView, UpdateFlagsRequest } from '@correio/contracts';
import { ImapStoreService } from '../mailbox-store/imap-store.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { toMessageSummary } from './message-view.js';

const SYSTEM = [
  ['seen', '\\Seen'],
  ['flagged', '\\Flagged'],
  ['answered', '\\Answered'],
  ['draft', '\\Draft'],
] as const;

/**
 * PATCH /api/v1/messages/:id: flags and keywords through IMAP STORE's own path (one transaction
 * per STORE +FLAGS / -FLAGS, a new modseq, the change published), so IMAP clients see labels as
 * keywords and flag changes at once (RFC 9051 §6.4.6, RFC 7162 §3.1).
 */
@Injectable()
export class MessageFlagsService {
  constructor(
    private readonly store: MailboxStoreService,
    private readonly imap: ImapStoreService,
  ) {}

  async update(accountId: string, id: string, req: UpdateFlagsRequest): Promise<MessageFlagsView> {
    const row = await this.store.getMessage(accountId, id);
    const add: string[] = [...(req.addKeywords ?? [])];
    const remove: string[] = [...(req.removeKeywords ?? [])];
    for (const [field, flag] of SYSTEM) {
      if (req[field] === true) add.push(flag);
      if (req[field] === false) remove.push(flag);
    }
    const target = { accountId, mailboxId: row.mailboxId, uids: [row.uid] };
    if (add.length > 0) await this.imap.storeFlags({ ...target, op: 'add', flags: add });
    if (remove.length > 0) await this.imap.storeFlags({ ...target, op: 'remove', flags: remove });
    const now = await this.store.getMessage(accountId, id);
    return { ...toMessageSummary(now), keywords: now.keywords, draft: now.draft };
  }
}
