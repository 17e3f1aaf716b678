import type { ReactNode } from 'react';
import { SettingsNav } from './settings-nav';

/** Every /settings page: one pane with the "Settings" title, the sections' navigation and the page. */
export function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <section className="settings-pane" aria-labelledby="settings-title">
      <header className="list-header">
        <h1 className="list-title" id="settings-title">
          Settings
        </h1>
      </header>
      <SettingsNav />
      <div className="settings-body">{children}</div>
    </section>
  );
}
