import { ReadingPane } from '@/components/mail/reading-pane';

export default async function MessagePage({ params }: { params: Promise<{ mailboxId: string; messageId: string }> }) {
  const { messageId } = await params;
  return <ReadingPane messageId={messageId} />;
}
