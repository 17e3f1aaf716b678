import { Inject, Injectable } from '@nestjs/common';
import type { AttachmentRef, DraftAttachment, DraftView, SaveDraftRequest, SaveDraftResult } from '@correio/contracts';
import {
  type AttachmentMeta,
  type ComposeAddress,
  composeMessage,
  extractAttachments,
  parseDraft,
  sanitizeOutgoingHtml,
  summarizeMessage,
} from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { AttachmentResolver, type ResolvedAttachment } from '../outgoing/attachment-resolver.js';

type DraftRecipient = SaveDraftRequest['to'][number];
const toAddresses = (list: DraftRecipient[]): ComposeAddress[] =>
  list.filter((r) => r.address.trim() !== '').map((r) => ({ name: r.name || undefined, address: r.address.trim() }));

/** How a stored draft's attachment is named from now on (GET, and the result of a save). */
function draftAttachment(messageId: string, a: AttachmentMeta): DraftAttachment {
  const ref: AttachmentRef = {
    source: 'message',
    messageId,
    index: a.index,
    inline: a.inline && a.contentId !== null,
    ...(a.contentId ? { contentId: a.contentId } : {}),
  };
  return { ref, filename: a.filename, contentType: a.contentType, size: a.size };
}

const bareCid = (cid: string | null | undefined) => (cid ? cid.replace(/^<|>$/g, '') : null);

/**
 * Which stored part each request attachment became (an index into `stored`, request order). MIME
 * order is not request order (inline parts go into multipart/related), so parts are paired by
 * their bytes and Content-ID, preferring the same filename and type; identical parts are
 * interchangeable. A part whose bytes changed on the way (a text file's line ends) falls back to
 * the first unpaired part with the same Content-ID, filename and type.
 */
export function pairStoredParts(
  sent: readonly ResolvedAttachment[],
  stored: readonly { meta: AttachmentMeta; content: Buffer }[],
): number[] {
  const used = new Set<number>();
  const pick = (ok: (j: number) => boolean) => {
    const j = stored.findIndex((_, k) => !used.has(k) && ok(k));
    if (j >= 0) used.add(j);
    return j;
  };
  return sent.map((a) => {
    const cid = bareCid(a.contentId);
    const sameCid = (k: number) => bareCid(stored[k]!.meta.contentId) === cid;
    const sameBytes = (k: number) => sameCid(k) && stored[k]!.content.equals(a.content);
    const sameName = (k: number) => stored[k]!.meta.filename === a.filename && stored[k]!.meta.contentType === a.contentType;
    let j = pick((k) => sameBytes(k) && sameName(k));
    if (j < 0) j = pick(sameBytes);
    if (j < 0) j = pick((k) => sameCid(k) && sameName(k));
    if (j < 0) throw new Error('a draft attachment was not found in the composed draft');
    return j;
  });
}

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
    // Paired before storing: a save that could not say where its attachments went stores nothing.
    const stored = await extractAttachments(raw);
    const pairs = pairStoredParts(attachments, stored);
    const copy = await this.store.saveDraft({ accountId: account.id, raw, summary: await summarizeMessage(raw), replaceId });
    const row = await this.store.getMessage(account.id, copy.messageId);
    return {
      id: copy.messageId,
      savedAt: row.internalDate.toISOString(),
      // Same parse and numbering as GET (parseDraft and extractAttachments both number mailparser's list).
      attachments: stored.map((s) => draftAttachment(copy.messageId, s.meta)),
      refs: pairs.map((j) => draftAttachment(copy.messageId, stored[j]!.meta).ref),
    };
  }

  async get(account: AccountInfo, id: string): Promise<DraftView> {
    const { row, raw } = await this.store.getRaw(account.id, id);
    if (!row.draft && row.mailboxId !== (await this.store.mailboxIdBySpecialUse(account.id, 'drafts')))
      throw AppError.notFound('draft not found');
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
      attachments: d.attachments.map((a) => draftAttachment(row.id, a)),
      savedAt: row.internalDate.toISOString(),
    };
  }

  discard(account: AccountInfo, id: string): Promise<void> {
    return this.store.deleteDraft(account.id, id);
  }
}
