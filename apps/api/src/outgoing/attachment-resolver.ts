import { Injectable } from '@nestjs/common';
import type { AttachmentRef } from '@correio/contracts';
import { extractAttachments } from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
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
 */
@Injectable()
export class AttachmentResolver {
  constructor(
    private readonly uploads: UploadsService,
    private readonly store: MailboxStoreService,
  ) {}

  async resolve(accountId: string, refs: AttachmentRef[]): Promise<{ attachments: ResolvedAttachment[]; uploadIds: string[] }> {
    const uploadIds = refs.flatMap((r) => (r.source === 'upload' ? [r.uploadId] : []));
    const uploads = uploadIds.length ? await this.uploads.read(accountId, uploadIds) : new Map();
    const parts = new Map<string, Awaited<ReturnType<typeof extractAttachments>>>();
    for (const r of refs) {
      if (r.source !== 'message' || parts.has(r.messageId)) continue;
      const got = await this.store.getRaw(accountId, r.messageId).catch((err: unknown) => {
        if (err instanceof AppError && err.code === ErrorCode.NotFound) return undefined;
        throw err;
      });
      if (!got) throw AppError.invalid('attachment not found: the message is gone', { messageId: r.messageId });
      parts.set(r.messageId, await extractAttachments(got.raw));
    }
    const attachments = refs.map((r): ResolvedAttachment => {
      const inline = r.inline && r.contentId ? { contentId: r.contentId.replace(/^<|>$/g, ''), inline: true } : { inline: r.inline };
      if (r.source === 'upload') {
        const u = uploads.get(r.uploadId)!;
        return { filename: u.filename, contentType: u.contentType, content: u.content, ...inline };
      }
      const part = parts.get(r.messageId)?.[r.index];
      if (!part) throw AppError.invalid('attachment not found in the message', { messageId: r.messageId, index: r.index });
      return { filename: part.meta.filename, contentType: part.meta.contentType, content: part.content, ...inline };
    });
    return { attachments, uploadIds: [...new Set(uploadIds)] };
  }
}
