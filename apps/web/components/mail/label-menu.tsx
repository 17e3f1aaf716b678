'use client';

/**
 * "Labels" popover (`l` opens it): a checkbox per label, ticked when every target carries it,
 * mixed when some do. Ticking adds the label to all targets, unticking removes it (each one bulk
 * request, with Undo). Typing filters; "Create new" makes the label and applies it.
 */
import { useState } from 'react';
import { api, type LabelView } from '@/lib/api';
import { LabelIcon } from '../icons';
import { useMail } from './mail-store';
import { type MenuScope, useMenuSignal } from './menu-signal';
import { usePopover } from './use-popover';

export function LabelMenu({
  appliedIds,
  count,
  onApply,
  scope,
}: {
  /** For each label id, how many of the `count` targets carry it. */
  appliedIds: ReadonlyMap<string, number>;
  count: number;
  onApply(labelId: string, add: boolean): void;
  scope: MenuScope;
}) {
  const { labels, refreshLabels, reportError } = useMail();
  const pop = usePopover();
  useMenuSignal('labels', scope, pop.open);
  const [filter, setFilter] = useState('');
  if (labels === null) return null;
  const shown = labels.filter((l) => l.name.toLowerCase().includes(filter.trim().toLowerCase()));
  const exact = labels.some((l) => l.name.toLowerCase() === filter.trim().toLowerCase());

  const create = async () => {
    try {
      const label: LabelView = await api.createLabel({ name: filter.trim() });
      await refreshLabels();
      pop.close();
      setFilter('');
      onApply(label.id, true);
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <div className="menu-root" ref={pop.rootRef}>
      <button
        ref={pop.buttonRef}
        type="button"
        className="tool-btn"
        aria-haspopup="menu"
        aria-expanded={pop.isOpen}
        aria-label="Labels"
        title="Labels (l)"
        onClick={pop.toggle}
        data-testid="action-labels"
      >
        <LabelIcon />
        <span aria-hidden="true">Labels</span>
      </button>
      {pop.isOpen && (
        <div className="menu label-menu" role="menu" aria-label="Label as" data-testid="label-menu">
          <div className="menu-filter">
            <input
              type="text"
              aria-label="Filter labels"
              placeholder="Label as…"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && filter.trim() && !exact) void create();
              }}
            />
          </div>
          {shown.map((l) => {
            const n = appliedIds.get(l.id) ?? 0;
            const state = n === 0 ? false : n >= count ? true : 'mixed';
            return (
              <button
                key={l.id}
                type="button"
                role="menuitemcheckbox"
                aria-checked={state}
                className="menu-item menu-check"
                onClick={() => {
                  pop.close();
                  onApply(l.id, state !== true);
                }}
                data-testid="label-option"
              >
                <span className={`check-box${state === true ? ' on' : state === 'mixed' ? ' mixed' : ''}`} aria-hidden="true" />
                <span className="label-dot" style={{ backgroundColor: l.colour ?? 'var(--muted)' }} aria-hidden="true" />
                {l.name}
              </button>
            );
          })}
          {filter.trim() && !exact && (
            <button type="button" role="menuitem" className="menu-item" onClick={() => void create()}>
              Create “{filter.trim()}”
            </button>
          )}
        </div>
      )}
    </div>
  );
}
