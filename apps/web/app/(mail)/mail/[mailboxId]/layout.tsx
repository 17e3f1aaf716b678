import type { ReactNode } from 'react';
import { MailboxView } from '@/components/mail/mailbox-view';

/** The message list stays mounted while the reading pane (children) changes with the message. */
export default async function MailboxLayout({ params, children }: { params: Promise<{ mailboxId: string }>; children: ReactNode }) {
  const { mailboxId } = await params;
  return <MailboxView mailboxId={mailboxId}>{children}</MailboxView>;
}
