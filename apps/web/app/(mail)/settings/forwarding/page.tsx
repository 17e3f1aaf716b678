import type { Metadata } from 'next';
import { ForwardingView } from '@/components/settings/rules/forwarding-view';
import '@/components/settings/rules/rules.css';

export const metadata: Metadata = { title: 'Forwarding' };

export default function ForwardingPage() {
  return <ForwardingView />;
}
