'use client';

/** The `?` overlay: every keyboard shortcut, grouped as Gmail groups them. */
import { SHORTCUT_HELP } from '@/lib/shortcuts';
import { Modal } from '../common/modal';

function keyText(keys: string): string {
  return keys
    .split(' ')
    .map((k) => (k.startsWith('shift+') ? `Shift + ${k.slice(6).toUpperCase()}` : k))
    .join(' then ');
}

export function ShortcutHelp({ onClose }: { onClose(): void }) {
  const groups = ['Navigation', 'Actions', 'Jumping'] as const;
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} wide>
      <div className="shortcut-groups">
        {groups.map((g) => (
          <section key={g} aria-labelledby={`sc-${g}`}>
            <h3 id={`sc-${g}`}>{g}</h3>
            <dl className="shortcut-list">
              {SHORTCUT_HELP.filter((s) => s.group === g).map((s) => (
                <div key={s.keys} className="shortcut-row">
                  <dt>
                    <kbd>{keyText(s.keys)}</kbd>
                  </dt>
                  <dd>{s.label}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Modal>
  );
}
