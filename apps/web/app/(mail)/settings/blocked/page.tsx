import type { Metadata } from 'next';
import { BlockedView } from '@/components/settings/rules/blocked-view';
import '@/components/settings/rules/rules.css';

export const metadata: Metadata = { title: 'Blocked and allowed senders' };

export default function BlockedPage() {
  return <BlockedView />;
}
