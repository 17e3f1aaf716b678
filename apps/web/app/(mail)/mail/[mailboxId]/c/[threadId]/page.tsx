import { ConversationPane } from '@/components/thread/conversation-pane';

export default async function ConversationPage({ params }: { params: Promise<{ mailboxId: string; threadId: string }> }) {
  const { threadId, mailboxId } = await params;
  return <ConversationPane threadId={threadId} viewMailboxId={/^\d+$/.test(mailboxId) ? mailboxId : null} />;
}
