import { EmptyPane } from '@/components/mail/reading-pane';

export default function MailboxPage() {
  return <EmptyPane />;
}
