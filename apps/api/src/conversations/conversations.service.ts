import { Injectable } from '@nestjs/common';
import type { ConversationDetail, ConversationList, ConversationListQuery, MessagePage, MessagePageQuery } from '@correio/contracts';
import { AppError } from '../common/app-error.js';
import { LabelsService } from '../labels/labels.service.js';
import { decodeKeyset, encodeKeyset, type KeysetCursor } from './conversation-cursor.js';
import { type ConversationView, ConversationRepository } from './repositories/conversation.repository.js';
import { labelIndex, toConversationSummary, toWebmailMessage } from './webmail-message.js';

const isId = (id: string) => /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= 9_223_372_036_854_775_807n;

/** At most this many messages of one conversation are returned (the newest ones). */
const THREAD_LIMIT = 500;

/**
 * The webmail's lists: conversations (messages grouped by the store's thread id across mailboxes)
 * and the flat keyset-paged list with labels. Another account's mailbox, label or thread is a 404.
 */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly repo: ConversationRepository,
    private readonly labels: LabelsService,
  ) {}

  async list(accountId: string, q: ConversationListQuery): Promise<ConversationList> {
    const cursor = this.cursor(q.cursor);
    let view: ConversationView;
    if (q.labelId) view = { keyword: (await this.labels.get(accountId, q.labelId)).keyword };
    else {
      const mailboxId = q.mailboxId ?? (await this.repo.inboxId(accountId));
      if (!mailboxId || !(await this.repo.mailbox(accountId, mailboxId))) throw AppError.notFound('mailbox not found');
      view = { mailboxId };
    }
    // One extra row tells whether another page exists without a COUNT.
    const [rows, labels] = await Promise.all([this.repo.list(accountId, view, q.limit + 1, cursor), this.labels.listRows(accountId)]);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const index = labelIndex(labels);
    return {
      items: page.map((c) => toConversationSummary(c, index)),
      nextCursor: rows.length > q.limit && last ? encodeKeyset({ internalDate: last.latestAt, id: last.latestId }) : null,
    };
  }

  async get(accountId: string, threadId: string, viewMailboxId?: string): Promise<ConversationDetail> {
    if (!isId(threadId) || (viewMailboxId !== undefined && !isId(viewMailboxId))) throw AppError.notFound('conversation not found');
    // The view's mailbox is checked alongside the thread's read, not before it: one round trip of
    // latency on the path of opening a conversation instead of two.
    const [view, rows, labels] = await Promise.all([
      viewMailboxId === undefined ? true : this.repo.mailbox(accountId, viewMailboxId),
      this.repo.thread(accountId, threadId, viewMailboxId ?? null, THREAD_LIMIT),
      this.labels.listRows(accountId),
    ]);
    if (!view || rows.length === 0) throw AppError.notFound('conversation not found');
    const index = labelIndex(labels);
    return { id: threadId, subject: rows[rows.length - 1]!.subject, messages: rows.map((m) => toWebmailMessage(m, index)) };
  }

  async page(accountId: string, mailboxId: string, q: MessagePageQuery): Promise<MessagePage> {
    if (!isId(mailboxId)) throw AppError.notFound('mailbox not found');
    const cursor = this.cursor(q.cursor);
    const [rows, labels] = await Promise.all([this.repo.page(accountId, mailboxId, q.limit + 1, cursor), this.labels.listRows(accountId)]);
    // Only an empty page needs to tell "no such mailbox" from "no more mail".
    if (rows.length === 0 && !(await this.repo.mailbox(accountId, mailboxId))) throw AppError.notFound('mailbox not found');
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const index = labelIndex(labels);
    return {
      items: page.map((m) => toWebmailMessage(m, index)),
      nextCursor: rows.length > q.limit && last ? encodeKeyset({ internalDate: last.internalDate, id: last.id }) : null,
    };
  }

  private cursor(raw: string | undefined): KeysetCursor | undefined {
    if (raw === undefined) return undefined;
    const c = decodeKeyset(raw);
    if (!c) throw AppError.invalid('invalid cursor');
    return c;
  }
}
