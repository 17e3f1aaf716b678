import { Inject, Injectable } from '@nestjs/common';
import type { DraftView, SaveDraftRequest, SaveDraftResult } from '@correio/contracts';
import { type ComposeAddress, composeMessage, parseDraft, sanitizeOutgoingHtml, summarizeMessage } from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { AttachmentResolver } from '../outgoing/attachment-resolver.js';

type DraftRecipient = SaveDraftRequest['to'][number];
const toAddresses = (list: DraftRecipient[]): ComposeAddress[] =>
  list.filter((r) => r.address.trim() !== '').map((r) => ({ name: r.name || undefined, address: r.address.trim() }));

/**
 * Drafts as real MIME messages in the account's Drafts mailbox (\Draft \Seen), so an IMAP client
 * sees the same draft the webmail edits. A save that replaces a draft stores the new version and
 * expunges the old one in one transaction (MailboxStoreService.saveDraft); attachments it carries
 * over from the old version are read before that transaction.
 */
@Injectable()
export class DraftsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: MailboxStoreService,
    private readonly attachments: AttachmentResolver,
  ) {}

  async save(account: AccountInfo, req: SaveDraftRequest, replaceId?: string): Promise<SaveDraftResult> {
    const { attachments } = await this.attachments.resolve(account.id, req.attachments);
    const from = req.from?.trim() || account.address;
    const { raw } = await composeMessage({
      from: { name: account.displayName || undefined, address: from },
      to: toAddresses(req.to),
      cc: toAddresses(req.cc),
      bcc: toAddresses(req.bcc),
      keepBcc: true,
      subject: req.subject,
      html: sanitizeOutgoingHtml(req.html),
      inReplyTo: req.inReplyTo,
      references: req.references,
      attachments,
      messageIdDomain: this.config.hostname,
    });
    if (raw.length > this.config.smtp.maxMessageBytes) {
      throw new AppError(ErrorCode.TooLarge, `draft larger than ${this.config.smtp.maxMessageBytes} bytes (CORREIO_MAX_MESSAGE_BYTES)`);
    }
    const copy = await this.store.saveDraft({ accountId: account.id, raw, summary: await summarizeMessage(raw), replaceId });
    const row = await this.store.getMessage(account.id, copy.messageId);
    return { id: copy.messageId, savedAt: row.internalDate.toISOString() };
  }

  async get(account: AccountInfo, id: string): Promise<DraftView> {
    const { row, raw } = await this.store.getRaw(account.id, id);
    if (!row.draft && row.mailboxId !== (await this.store.mailboxIdBySpecialUse(account.id, 'drafts'))) throw AppError.notFound('draft not found');
    const d = await parseDraft(raw);
    return {
      id: row.id,
      from: d.from,
      to: d.to,
      cc: d.cc,
      bcc: d.bcc,
      subject: d.subject,
      html: d.html,
      inReplyTo: d.inReplyTo,
      references: d.references,
      attachments: d.attachments.map((a) => ({
        ref: { source: 'message' as const, messageId: row.id, index: a.index, inline: a.inline && a.contentId !== null, ...(a.contentId ? { contentId: a.contentId } : {}) },
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
      })),
      savedAt: row.internalDate.toISOString(),
    };
  }

  discard(account: AccountInfo, id: string): Promise<void> {
    return this.store.deleteDraft(account.id, id);
  }
}
