/**
 * What a bulk action does to the rows on screen before the server answers, and the notice that
 * says what happened (Gmail's wording: "Conversation archived.", "3 conversations moved to Trash.").
 */
import type { BulkAction } from '@correio/contracts';
import type { Row } from './rows';
import type { View } from './views';

/** Does the action take the rows out of this view (so they leave the list at once)? */
export function isRemovedFromView(action: BulkAction, view: View): boolean {
  switch (action.type) {
    case 'archive':
    case 'delete':
    case 'junk':
    case 'notJunk':
      return true;
    case 'move':
      return view.kind !== 'mailbox' || view.mailboxId !== action.mailboxId;
    case 'removeLabel':
      return view.kind === 'label' && view.labelId === action.labelId;
    case 'markUnread':
    case 'markRead':
    case 'star':
    case 'unstar':
      return view.kind === 'search' && ((view.q === 'is:starred' && action.type === 'unstar') || false);
    default:
      return false;
  }
}

/** The change to a row that stays in view. */
export function rowPatch(action: BulkAction, row: Row): Partial<Row> {
  switch (action.type) {
    case 'markRead':
      return { isUnread: false };
    case 'markUnread':
      return { isUnread: true };
    case 'star':
      return { isStarred: true };
    case 'unstar':
      return { isStarred: false };
    case 'addLabel':
      return row.labelIds.includes(action.labelId) ? {} : { labelIds: [...row.labelIds, action.labelId] };
    case 'removeLabel':
      return { labelIds: row.labelIds.filter((id) => id !== action.labelId) };
    default:
      return {};
  }
}

export function actionNotice(
  action: BulkAction,
  count: number,
  isConversation: boolean,
  names: { labelName(id: string): string; mailboxName(id: string): string },
): string {
  const noun = isConversation ? 'conversation' : 'message';
  const subject = count === 1 ? `${noun[0]?.toUpperCase()}${noun.slice(1)}` : `${count.toLocaleString('en-US')} ${noun}s`;
  const verb = count === 1 ? 'has' : 'have';
  switch (action.type) {
    case 'archive':
      return `${subject} archived.`;
    case 'delete':
      return `${subject} moved to Trash.`;
    case 'junk':
      return `${subject} marked as spam.`;
    case 'notJunk':
      return `${subject} moved to Inbox.`;
    case 'markRead':
      return `${subject} marked as read.`;
    case 'markUnread':
      return `${subject} marked as unread.`;
    case 'star':
      return `${subject} starred.`;
    case 'unstar':
      return `${subject} unstarred.`;
    case 'move':
      return `${subject} moved to "${names.mailboxName(action.mailboxId)}".`;
    case 'addLabel':
      return `${subject} ${verb} been added to "${names.labelName(action.labelId)}".`;
    case 'removeLabel':
      return `${subject} ${verb} been removed from "${names.labelName(action.labelId)}".`;
  }
}
