/** The mail-rules pages (issue 15), listed in the settings navigation (settings-nav.tsx). */
export const RULES_PAGES = [
  { href: '/settings/filters', label: 'Filters' },
  { href: '/settings/blocked', label: 'Blocked senders' },
  { href: '/settings/forwarding', label: 'Forwarding' },
  { href: '/settings/vacation', label: 'Vacation responder' },
];

/** A rules page's own heading under the settings area's "Settings" title. */
export function RulesPageTitle({ title, id }: { title: string; id: string }) {
  return (
    <h2 className="rules-page-title" id={id}>
      {title}
    </h2>
  );
}
