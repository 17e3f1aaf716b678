import { type ReactNode, Suspense } from 'react';
import { MailboxView } from '@/components/mail/mailbox-view';

/**
 * The list of one view stays mounted while the reading pane (children) changes. The segment names
 * the view: a folder id, "label-<id>", "starred" or "search" (lib/views.ts).
 */
export default async function MailboxLayout({ params, children }: { params: Promise<{ mailboxId: string }>; children: ReactNode }) {
  const { mailboxId } = await params;
  return (
    <Suspense>
      <MailboxView segment={mailboxId}>{children}</MailboxView>
    </Suspense>
  );
}
