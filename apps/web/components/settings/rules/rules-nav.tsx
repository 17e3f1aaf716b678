import Link from 'next/link';

/** The mail-rules pages, for the settings navigation (issue 15). */
export const RULES_PAGES = [
  { href: '/settings/filters', label: 'Filters', short: 'Filters' },
  { href: '/settings/blocked', label: 'Blocked and allowed senders', short: 'Blocked senders' },
  { href: '/settings/forwarding', label: 'Forwarding', short: 'Forwarding' },
  { href: '/settings/vacation', label: 'Vacation responder', short: 'Vacation responder' },
] as const;

export function RulesNav() {
  return (
    <section className="settings-section" aria-labelledby="mail-rules-h">
      <h2 id="mail-rules-h">Mail rules</h2>
      <ul className="rules-nav">
        {RULES_PAGES.map((p) => (
          <li key={p.href}>
            <Link href={p.href}>{p.label}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The header of a rules page: its title and the way back to Settings. */
export function RulesPageHeader({ title, id }: { title: string; id: string }) {
  return (
    <header className="list-header">
      <Link href="/settings" className="btn" aria-label="Back to settings">
        ← Settings
      </Link>
      <h1 className="list-title" id={id}>
        {title}
      </h1>
    </header>
  );
}
