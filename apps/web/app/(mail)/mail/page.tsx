import { OpenInbox } from '@/components/mail/open-inbox';

/** /mail has no mailbox of its own: go to the Inbox once the mailbox list is known. */
export default function MailIndexPage() {
  return <OpenInbox />;
}
