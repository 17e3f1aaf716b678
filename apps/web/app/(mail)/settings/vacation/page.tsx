import type { Metadata } from 'next';
import { VacationView } from '@/components/settings/rules/vacation-view';
import '@/components/settings/rules/rules.css';

export const metadata: Metadata = { title: 'Vacation responder' };

export default function VacationPage() {
  return <VacationView />;
}
