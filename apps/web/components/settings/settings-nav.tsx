'use client';

/**
 * The settings area's sections (issue 15), one link each; the current one is marked for assistive
 * technology (aria-current) and by style. Other rooms add their pages as one block below.
 */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { RULES_PAGES } from './rules/rules-nav';

export interface SettingsSection {
  href: string;
  label: string;
}

const SECTIONS: SettingsSection[] = [
  { href: '/settings', label: 'General' },
  { href: '/settings/security', label: 'Security' },
  { href: '/settings/app-passwords', label: 'App passwords' },
  { href: '/settings/api-keys', label: 'API keys' },
];

// ---- Mail rules (rules15): filters, vacation, forwarding, blocked senders — add their links here.
const RULES_SECTIONS: SettingsSection[] = RULES_PAGES;

export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav className="settings-nav" aria-label="Settings sections">
      <ul>
        {[...SECTIONS, ...RULES_SECTIONS].map((s) => {
          const isCurrent = pathname === s.href;
          return (
            <li key={s.href}>
              <Link href={s.href} aria-current={isCurrent ? 'page' : undefined} className={isCurrent ? 'is-current' : undefined}>
                {s.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
