import type { Metadata } from 'next';
import { DomainsView } from '@/components/admin/domains-view';

export const metadata: Metadata = { title: 'Admin · Domains' };

export default function AdminDomainsPage() {
  return <DomainsView />;
}
