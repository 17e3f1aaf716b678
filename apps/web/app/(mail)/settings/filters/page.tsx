import type { Metadata } from 'next';
import { FiltersView } from '@/components/settings/rules/filters-view';
import '@/components/settings/rules/rules.css';

export const metadata: Metadata = { title: 'Filters' };

export default function FiltersPage() {
  return <FiltersView />;
}
