import type { Metadata } from 'next';
import { AppPasswordsView } from '@/components/settings/app-passwords-view';

export const metadata: Metadata = { title: 'App passwords' };

export default function AppPasswordsPage() {
  return <AppPasswordsView />;
}
