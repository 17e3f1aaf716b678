import { Inject, Injectable } from '@nestjs/common';
import type { AttachmentRef } from '@correio/contracts';
import { extractAttachments } from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { UploadsService } from '../uploads/uploads.service.js';

export interface ResolvedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  /** Set for inline parts the HTML shows as cid:<contentId>. */
  contentId?: string;
  inline?: boolean;
}

/**
 * Attachments named by reference (uploads, or attachments of the account's stored messages: a
 * forward, a resumed draft) → their bytes, in the order given. A reference to nothing the account
 * has is a 400 naming it (another account's upload or message is just as missing: invariant 4).
 * The same attachment named twice is a 400. The bytes held never pass the message size limit: the
 * sizes add up as refs resolve (uploads by their recorded size, before any is read), and the 413
 * comes as soon as the total passes CORREIO_MAX_MESSAGE_BYTES, before anything is composed.
 */
@Injectable()
export class AttachmentResolver {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uploads: UploadsService,
    private readonly store: MailboxStoreService,
  ) {}

  /** `alreadyBytes`: what the message holds besides these (attachments sent inline in the request). */
  async resolve(accountId: string, refs: AttachmentRef[], alreadyBytes = 0): Promise<{ attachments: ResolvedAttachment[]; uploadIds: string[] }> {
    const seen = new Set<string>();
    for (const r of refs) {
      const key = r.source === 'upload' ? `upload:${r.uploadId}` : `message:${r.messageId}:${r.index}`;
      if (seen.has(key)) throw AppError.invalid('the same attachment is named twice', { ref: r });
      seen.add(key);
    }
    const max = this.config.smtp.maxMessageBytes;
    let total = alreadyBytes;
    const count = (bytes: number) => {
      total += bytes;
      if (total > max) throw new AppError(ErrorCode.TooLarge, `message larger than ${max} bytes (CORREIO_MAX_MESSAGE_BYTES)`);
    };
    const uploadIds = refs.flatMap((r) => (r.source === 'upload' ? [r.uploadId] : []));
    if (uploadIds.length) for (const size of (await this.uploads.sizes(accountId, uploadIds)).values()) count(size);
    // Only the parts named are kept of each message read (one message's bytes at a time).
    const parts = new Map<string, ResolvedAttachment>();
    const wanted = new Map<string, number[]>();
    for (const r of refs) if (r.source === 'message') wanted.set(r.messageId, [...(wanted.get(r.messageId) ?? []), r.index]);
    for (const [messageId, indexes] of wanted) {
      const got = await this.store.getRaw(accountId, messageId).catch((err: unknown) => {
        if (err instanceof AppError && err.code === ErrorCode.NotFound) return undefined;
        throw err;
      });
      if (!got) throw AppError.invalid('attachment not found: the message is gone', { messageId });
      const all = await extractAttachments(got.raw);
      for (const index of indexes) {
        const part = all[index];
        if (!part) throw AppError.invalid('attachment not found in the message', { messageId, index });
        count(part.content.length);
        parts.set(`${messageId}:${index}`, { filename: part.meta.filename, contentType: part.meta.contentType, content: part.content });
      }
    }
    const uploads = uploadIds.length ? await this.uploads.read(accountId, uploadIds) : new Map<string, { filename: string; contentType: string; content: Buffer }>();
    const attachments = refs.map((r): ResolvedAttachment => {
      const inline = r.inline && r.contentId ? { contentId: r.contentId.replace(/^<|>$/g, ''), inline: true } : { inline: r.inline };
      const part = r.source === 'upload' ? uploads.get(r.uploadId)! : parts.get(`${r.messageId}:${r.index}`)!;
      return { filename: part.filename, contentType: part.contentType, content: part.content, ...inline };
    });
    return { attachments, uploadIds };
  }
}
