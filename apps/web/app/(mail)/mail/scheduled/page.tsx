import { ScheduledView } from '@/components/compose/scheduled-view';

export default function ScheduledPage() {
  return <ScheduledView />;
}
