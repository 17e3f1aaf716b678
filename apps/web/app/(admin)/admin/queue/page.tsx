import type { Metadata } from 'next';
import { QueueView } from '@/components/admin/queue-view';

export const metadata: Metadata = { title: 'Admin · Queue' };

export default function AdminQueuePage() {
  return <QueueView />;
}
