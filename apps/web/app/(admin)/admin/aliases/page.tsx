import type { Metadata } from 'next';
import { AliasesView } from '@/components/admin/aliases-view';

export const metadata: Metadata = { title: 'Admin · Aliases' };

export default function AdminAliasesPage() {
  return <AliasesView />;
}
