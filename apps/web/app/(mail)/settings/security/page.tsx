import type { Metadata } from 'next';
import { SecurityView } from '@/components/settings/security-view';

export const metadata: Metadata = { title: 'Security settings' };

export default function SecurityPage() {
  return <SecurityView />;
}
