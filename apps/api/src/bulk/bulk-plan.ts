import type { BulkAction } from '@correio/contracts';
import { AppError } from '../common/app-error.js';
import type { MailboxRef, SelectedRow } from './repositories/bulk-selection.repository.js';

/** What a bulk action does to the selected messages: set/clear a flag, move some, expunge some. */
export interface BulkPlan {
  flag?: { flag: string; add: boolean; rows: SelectedRow[] };
  move?: { to: string; rows: SelectedRow[] };
  /** Delete in Trash: for good (as Gmail and Outlook do), no undo. */
  expunge?: SelectedRow[];
}

export interface PlanContext {
  boxes: MailboxRef[];
  /** The mailbox the selection was made in (a conversation's messages elsewhere stay where they are). */
  viewMailboxId?: string;
  /** The selection names conversations (then moves take only the messages in the view). */
  conversations: boolean;
  /** The label's IMAP keyword, for addLabel/removeLabel. */
  keyword?: string;
}

const FLAGS: Record<string, { flag: string; add: boolean }> = {
  markRead: { flag: '\\Seen', add: true },
  markUnread: { flag: '\\Seen', add: false },
  star: { flag: '\\Flagged', add: true },
  unstar: { flag: '\\Flagged', add: false },
};

const lower = (s: string) => s.toLowerCase();

/** Decides which messages change and how; only messages whose state would change are in the plan. */
export function planBulk(action: BulkAction, rows: SelectedRow[], ctx: PlanContext): BulkPlan {
  const use = (u: string) => ctx.boxes.find((b) => b.specialUse === u)?.id;
  const need = (id: string | undefined) => {
    if (!id) throw AppError.notFound('mailbox not found');
    return id;
  };
  const fixed = new Set([use('sent'), use('drafts')].filter((x): x is string => !!x));
  // Moving a conversation takes its messages in the view (INBOX by default), not the replies in Sent.
  const movable = (to: string) =>
    rows.filter(
      (r) => r.mailboxId !== to && (ctx.conversations ? r.mailboxId === (ctx.viewMailboxId ?? use('inbox')) : !fixed.has(r.mailboxId)),
    );

  switch (action.type) {
    case 'markRead':
    case 'markUnread':
    case 'star':
    case 'unstar': {
      const f = FLAGS[action.type]!;
      const col = f.flag === '\\Seen' ? 'seen' : 'flagged';
      return { flag: { ...f, rows: rows.filter((r) => r[col] !== f.add) } };
    }
    case 'addLabel':
    case 'removeLabel': {
      const k = lower(ctx.keyword!);
      const add = action.type === 'addLabel';
      return { flag: { flag: ctx.keyword!, add, rows: rows.filter((r) => r.keywords.some((x) => lower(x) === k) !== add) } };
    }
    case 'archive': {
      const to = need(use('archive'));
      return { move: { to, rows: movable(to) } };
    }
    case 'junk': {
      const to = need(use('junk'));
      return { move: { to, rows: movable(to) } };
    }
    case 'notJunk': {
      const junk = use('junk');
      return { move: { to: need(use('inbox')), rows: rows.filter((r) => r.mailboxId === junk) } };
    }
    case 'move': {
      const to = need(ctx.boxes.find((b) => b.id === action.mailboxId)?.id);
      return { move: { to, rows: ctx.conversations ? movable(to) : rows.filter((r) => r.mailboxId !== to) } };
    }
    case 'delete': {
      const trash = use('trash');
      if (!trash) return { expunge: rows };
      return { move: { to: trash, rows: rows.filter((r) => r.mailboxId !== trash) }, expunge: rows.filter((r) => r.mailboxId === trash) };
    }
  }
}
