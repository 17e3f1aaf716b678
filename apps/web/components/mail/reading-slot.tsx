'use client';

/**
 * The reading pane of a view, chosen from the URL in the browser (lib/views.ts openItemOf) rather
 * than by the route's page: a row opened with lib/open-item.ts is a history entry only, and the
 * pane starts its API requests with the click instead of after a round trip to the web server.
 * A reload or a shared link of the same URL renders the same pane (the pages render nothing).
 */
import type { OpenItem } from '@/lib/views';
import { ConversationPane } from '../thread/conversation-pane';
import { EmptyPane, ReadingPane } from './reading-pane';

export function ReadingSlot({ item, viewMailboxId }: { item: OpenItem; viewMailboxId: string | null }) {
  if (!item) return <EmptyPane />;
  // Keyed by the item: another conversation or message starts from a fresh state.
  if (item.kind === 'conversation')
    return <ConversationPane key={`c${item.threadId}`} threadId={item.threadId} viewMailboxId={viewMailboxId} />;
  return <ReadingPane key={item.messageId} messageId={item.messageId} />;
}
