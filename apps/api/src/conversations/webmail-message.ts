import type { ConversationSummary, WebmailMessage } from '@correio/contracts';
import type { LabelRow } from '../labels/repositories/label.repository.js';
import type { ConversationRow } from './repositories/conversation.repository.js';
import type { WebmailMessageRow } from './repositories/webmail-message-columns.js';

/** Lower-cased keyword → label id (IMAP keywords are case-insensitive, RFC 9051 §2.3.2). */
export type LabelIndex = Map<string, string>;

export function labelIndex(labels: LabelRow[]): LabelIndex {
  return new Map(labels.map((l) => [l.keyword.toLowerCase(), l.id]));
}

export function toWebmailMessage(m: WebmailMessageRow, labels: LabelIndex): WebmailMessage {
  const labelIds: string[] = [];
  const keywords: string[] = [];
  for (const k of m.keywords) {
    const id = labels.get(k.toLowerCase());
    if (id) labelIds.push(id);
    else keywords.push(k);
  }
  return {
    id: m.id,
    mailboxId: m.mailboxId,
    uid: m.uid,
    threadId: m.threadId,
    from: { name: m.fromName, address: m.fromAddress },
    to: m.toAddresses,
    cc: m.ccAddresses,
    subject: m.subject,
    snippet: m.snippet,
    receivedAt: m.internalDate.toISOString(),
    seen: m.seen,
    flagged: m.flagged,
    answered: m.answered,
    draft: m.draft,
    hasAttachments: m.hasAttachments,
    size: m.size,
    labelIds,
    keywords,
  };
}

export function toConversationSummary(c: ConversationRow, labels: LabelIndex): ConversationSummary {
  const labelIds = (c.keywords ?? []).map((k) => labels.get(k)).filter((id): id is string => id !== undefined);
  return {
    id: c.threadId,
    messageCount: c.messageCount,
    unreadCount: c.unreadCount,
    participants: c.participants,
    subject: c.subject,
    snippet: c.snippet,
    from: { name: c.fromName, address: c.fromAddress },
    latestAt: c.latestAt.toISOString(),
    latestMessageId: c.latestId,
    starred: c.starred,
    hasAttachments: c.hasAttachments,
    labelIds: [...new Set(labelIds)],
    mailboxIds: c.mailboxIds,
  };
}
