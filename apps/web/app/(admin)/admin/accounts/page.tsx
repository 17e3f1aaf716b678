import type { Metadata } from 'next';
import { AccountsView } from '@/components/admin/accounts-view';

export const metadata: Metadata = { title: 'Admin · Accounts' };

export default function AdminAccountsPage() {
  return <AccountsView />;
}
