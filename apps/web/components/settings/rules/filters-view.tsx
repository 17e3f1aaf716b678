'use client';

/** /settings/filters: the filters in the order they run, a form per filter, Sieve import/export. */
import type { FilterRequest, FilterView } from '@correio/contracts';
import { useState } from 'react';
import { useMail } from '../../mail/mail-store';
import { FilterForm } from './filter-form';
import { rulesApi } from './rules-api';
import { RulesPageTitle } from './rules-nav';
import { SieveBox } from './sieve-box';
import { useRulesLoader } from './use-rules-loader';

export function FiltersView() {
  const { notify, reportError } = useMail();
  const { data, reload } = useRulesLoader(rulesApi.filters);
  const [editing, setEditing] = useState<string | 'new' | null>(null);

  const save = async (id: string | 'new', f: FilterRequest) => {
    try {
      if (id === 'new') await rulesApi.createFilter(f);
      else await rulesApi.updateFilter(id, f);
      notify(`Filter "${f.name}" saved`);
      setEditing(null);
      await reload();
    } catch (err) {
      reportError(err);
    }
  };
  const remove = async (f: FilterView) => {
    try {
      await rulesApi.deleteFilter(f.id);
      notify(`Filter "${f.name}" deleted`);
      await reload();
    } catch (err) {
      reportError(err);
    }
  };
  const move = async (i: number, by: number) => {
    if (!data) return;
    const ids = data.items.map((f) => f.id);
    const [x] = ids.splice(i, 1);
    ids.splice(i + by, 0, x!);
    try {
      await rulesApi.reorderFilters(ids);
      await reload();
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <>
      <RulesPageTitle title="Filters" id="filters-title" />
      <p className="muted">Filters run in this order on every message that arrives, before it reaches your inbox.</p>
      {!data && <p className="muted">Loading…</p>}
      {data && data.items.length === 0 && editing !== 'new' && <p className="muted">No filters yet.</p>}
      <ol className="rules-list">
        {data?.items.map((f, i) =>
          editing === f.id ? (
            <li key={f.id}>
              <FilterForm initial={f} onSave={(x) => save(f.id, x)} onCancel={() => setEditing(null)} />
            </li>
          ) : (
            <li key={f.id} data-testid="filter-item">
              <span>
                <strong>{f.name}</strong>
                {!f.enabled && <span className="muted"> (off)</span>}
              </span>
              <span className="rules-row">
                <button type="button" className="btn" aria-label={`Move ${f.name} up`} disabled={i === 0} onClick={() => void move(i, -1)}>
                  Up
                </button>
                <button
                  type="button"
                  className="btn"
                  aria-label={`Move ${f.name} down`}
                  disabled={i === data.items.length - 1}
                  onClick={() => void move(i, 1)}
                >
                  Down
                </button>
                <button type="button" className="btn" aria-label={`Edit ${f.name}`} onClick={() => setEditing(f.id)}>
                  Edit
                </button>
                <button type="button" className="btn btn-danger" aria-label={`Delete ${f.name}`} onClick={() => void remove(f)}>
                  Delete
                </button>
              </span>
            </li>
          ),
        )}
      </ol>
      {editing === 'new' ? (
        <FilterForm onSave={(x) => save('new', x)} onCancel={() => setEditing(null)} />
      ) : (
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
          Create a new filter
        </button>
      )}
      <SieveBox onImported={() => void reload()} />
    </>
  );
}
