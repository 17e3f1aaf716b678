import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CancelSendResult, SendMessageRequest, SendMessageResult } from '@correio/contracts';
import type { PoolClient } from '@correio/db';
import { type ComposeAddress, checkMimeStructure, composeMessage, sanitizeOutgoingHtml, summarizeMessage } from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { OutboundQueueService } from '../delivery/outbound-queue.service.js';
import { SenderQueueService } from '../delivery/sender-queue.service.js';
import { type AccountInfo, DirectoryService } from '../directory/directory.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { UploadsService } from '../uploads/uploads.service.js';
import { AttachmentResolver } from './attachment-resolver.js';
import { OutgoingService } from './outgoing.service.js';

type Recipient = SendMessageRequest['to'][number];
const asAddress = (r: Recipient): ComposeAddress => (typeof r === 'string' ? { address: r } : { name: r.name, address: r.address });

/**
 * The REST send path (POST /api/v1/messages/send): checks the sender address as submission does
 * (the account's own, a +tag of it, or an alias of it), builds the MIME message, resolves every
 * recipient (local accounts get it at once, others are queued), then hands it to OutgoingService.
 */
@Injectable()
export class SendService {
  private readonly logger = new Logger(SendService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryService,
    private readonly outgoing: OutgoingService,
    private readonly queue: OutboundQueueService,
    private readonly store: MailboxStoreService,
    private readonly attachmentResolver: AttachmentResolver,
    private readonly uploads: UploadsService,
    private readonly senderQueue: SenderQueueService,
  ) {}

  /**
   * `recordWithin`, when given, runs inside the send's transaction with the answer the caller will
   * get (the Idempotency-Key record commits with the send: see OutgoingMessage.withinTransaction).
   */
  async send(
    account: AccountInfo,
    req: SendMessageRequest,
    recordWithin?: (tx: PoolClient, result: SendMessageResult) => Promise<void>,
  ): Promise<SendMessageResult> {
    const from = req.from ?? account.address;
    if (!(await this.directory.canSendAs(account.id, from))) {
      throw new AppError(ErrorCode.Forbidden, `${from} is not an address this account can send as`);
    }
    const envelope = [...req.to, ...req.cc, ...req.bcc].map((r) => asAddress(r).address);
    const local = new Set<string>();
    const remote = new Map<string, { address: string; orcpt?: string; forwardedFor?: string }>();
    const unknown: string[] = [];
    for (const address of new Set(envelope)) {
      const r = await this.directory.resolveRecipient(address);
      if (r.kind === 'unknown') unknown.push(address);
      else if (r.kind === 'remote') remote.set(address, { address });
      else {
        for (const id of r.accountIds) local.add(id);
        // The forward target is the alias owner's private business: marked, so the sender's
        // delivery status and undo show the alias it wrote, never this address (invariant 4).
        for (const f of r.forwards) if (!remote.has(f)) remote.set(f, { address: f, orcpt: `rfc822;${address}`, forwardedFor: address });
      }
    }
    // A local address that does not exist is refused now, as the MX would (550 5.1.1), rather than
    // bounced later: the user is still looking at the form.
    if (unknown.length) throw AppError.invalid('no such local recipient', { recipients: unknown });
    const inRequest = (req.attachments ?? []).reduce((n, a) => n + Math.floor((a.content.length * 3) / 4), 0);
    const byRef = req.attachmentRefs?.length ? await this.attachmentResolver.resolve(account.id, req.attachmentRefs, inRequest) : { attachments: [], uploadIds: [] };
    const { raw, messageId } = await composeMessage({
      from: { name: req.fromName ?? account.displayName ?? undefined, address: from },
      to: req.to.map(asAddress),
      cc: req.cc.map(asAddress),
      subject: req.subject,
      // Without text, composeMessage derives the plain-text alternative from the (sanitized) HTML.
      text: req.text ?? (req.html === undefined ? '' : undefined),
      html: req.html === undefined ? undefined : sanitizeOutgoingHtml(req.html),
      inReplyTo: req.inReplyTo,
      references: req.references,
      attachments: [
        ...(req.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'base64') })),
        ...byRef.attachments,
      ],
      messageIdDomain: this.config.hostname,
    });
    if (raw.length > this.config.smtp.maxMessageBytes) {
      throw new AppError(ErrorCode.TooLarge, `message larger than ${this.config.smtp.maxMessageBytes} bytes (CORREIO_MAX_MESSAGE_BYTES)`);
    }
    const structure = await checkMimeStructure(raw);
    if (!structure.ok) throw AppError.invalid(`message refused: ${structure.detail}`);
    // A delayed send queues every recipient, local ones too (the delivery worker stores those
    // straight into their mailboxes when the time comes), so that undo really takes it all back.
    const notBefore = req.sendAt ? new Date(req.sendAt) : req.undoSeconds ? new Date(Date.now() + req.undoSeconds * 1000) : undefined;
    const delayed = notBefore !== undefined && notBefore.getTime() > Date.now();
    const queuedRecipients = delayed ? [...new Set(envelope)].map((address) => ({ address })) : [...remote.values()];
    const result = (sentId: string, queueId: string | undefined): SendMessageResult => ({
      messageId,
      sentId,
      delivered: delayed ? 0 : local.size,
      queued: queuedRecipients.length,
      queueId: queueId ?? null,
      scheduledFor: delayed && notBefore ? notBefore.toISOString() : null,
    });
    const accepted = await this.outgoing.accept({
      senderAccountId: account.id,
      raw,
      summary: await summarizeMessage(raw),
      envelopeFrom: from,
      local: delayed ? [] : [...local],
      remote: queuedRecipients,
      notBefore: delayed ? notBefore : undefined,
      draftId: req.draftId,
      withinTransaction:
        recordWithin &&
        ((tx, written) => {
          // The Sent copy is one of the targets, so it is always written; without it, nothing commits.
          if (written.sentMessageId === undefined) throw new Error('send wrote no Sent copy');
          return recordWithin(tx, result(written.sentMessageId, written.queueId));
        }),
    });
    // COMMIT has returned: the send stands, so nothing after it may turn the 201 into an error (a
    // client retrying a 5xx would send twice, DESIGN invariant 1).
    try {
      await this.afterSend(account, req, byRef.uploadIds);
    } catch (err) {
      this.logger.warn(`after sending ${messageId} (account ${account.id}): ${(err as Error).message}`);
    }
    return result(accepted.sentCopy.messageId, accepted.queueId);
  }

  /**
   * After COMMIT (the send stands whatever happens here): the answered messages get \Answered,
   * and the uploads it used are removed (their bytes are in the message now).
   */
  private async afterSend(account: AccountInfo, req: SendMessageRequest, uploadIds: string[]): Promise<void> {
    if (req.inReplyTo) {
      const answered = req.inReplyTo.trim();
      await this.store.markAnswered(account.id, [answered.startsWith('<') ? answered : `<${answered}>`]);
    }
    if (uploadIds.length) await this.uploads.discard(account.id, uploadIds);
  }

  /**
   * Undo send / cancel a scheduled send: the queue entry goes only if nothing of it has started
   * (409 otherwise, 404 for another account's), and the Sent copy becomes a draft again (\Draft,
   * in Drafts). Its Bcc recipients, which the message never names, come back from the queue entry:
   * then the draft is the Sent copy plus a Bcc header (a new message id); otherwise the copy moves.
   * The Sent copy is the one the entry was queued for: the body's sentId only asks for it back
   * (another message it names is never touched). A Sent copy deleted since: cancelled, no draft.
   */
  async cancel(account: AccountInfo, queueId: string, sentId?: string): Promise<CancelSendResult> {
    const ownSentId = sentId ? await this.senderQueue.sentOf(account.id, queueId) : null;
    const envelope = ownSentId ? await this.senderQueue.recipientsOf(account.id, queueId) : [];
    await this.queue.cancel(queueId, { accountId: account.id });
    if (!ownSentId) return { draftId: null };
    if (ownSentId !== sentId) this.logger.warn(`cancel of queue entry ${queueId}: sentId ${sentId} is not its Sent copy (${ownSentId}); using the entry's`);
    sentId = ownSentId;
    const draftsId = await this.store.mailboxIdBySpecialUse(account.id, 'drafts');
    if (!draftsId) return { draftId: null };
    const found = await this.store.getRaw(account.id, sentId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === ErrorCode.NotFound) return undefined;
      throw err;
    });
    if (!found) return { draftId: null };
    const { row, raw } = found;
    const named = new Set([...row.toAddresses, ...row.ccAddresses].map((a) => a.address.toLowerCase()));
    const bcc = envelope.filter((a) => !named.has(a.toLowerCase()));
    if (bcc.length > 0) {
      const withBcc = Buffer.concat([Buffer.from(`Bcc: ${bcc.join(', ')}\r\n`), raw]);
      const copy = await this.store.saveDraft({ accountId: account.id, raw: withBcc, summary: await summarizeMessage(withBcc), replaceId: sentId, replaceAny: true });
      await this.senderQueue.relinkSent(account.id, queueId, copy.messageId);
      return { draftId: copy.messageId };
    }
    await this.store.move(account.id, sentId, draftsId);
    await this.store.updateFlags(account.id, sentId, { draft: true });
    return { draftId: sentId };
  }
}
