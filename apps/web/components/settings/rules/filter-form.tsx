'use client';

/** One filter as a form: a name, conditions combined with all/any, actions in order. */
import type { FilterAction, FilterCondition, FilterRequest } from '@correio/contracts';
import { useId, useRef, useState } from 'react';
import { useMail } from '../../mail/mail-store';

const FIELDS: { value: FilterCondition['field']; label: string }[] = [
  { value: 'from', label: 'From' },
  { value: 'toCc', label: 'To or Cc' },
  { value: 'subject', label: 'Subject' },
  { value: 'header', label: 'Header' },
  { value: 'size', label: 'Size' },
  { value: 'hasAttachment', label: 'Has attachment' },
];
const ACTIONS: { value: FilterAction['kind']; label: string }[] = [
  { value: 'move', label: 'Move to folder' },
  { value: 'label', label: 'Apply the label' },
  { value: 'markRead', label: 'Mark as read' },
  { value: 'star', label: 'Star it' },
  { value: 'forward', label: 'Forward it to' },
  { value: 'delete', label: 'Delete it' },
  { value: 'stop', label: 'Stop processing more filters' },
];

function newCondition(field: FilterCondition['field'], prev?: FilterCondition): FilterCondition {
  const value = prev && 'value' in prev && typeof prev.value === 'string' ? prev.value : '';
  if (field === 'size') return { field, op: 'over', value: 1024 * 1024 };
  if (field === 'hasAttachment') return { field };
  if (field === 'header') return { field, name: 'List-Id', op: 'contains', value };
  return { field, op: 'contains', value };
}

function newAction(kind: FilterAction['kind'], folder: string, label: string): FilterAction {
  if (kind === 'move') return { kind, folder };
  if (kind === 'label') return { kind, label };
  if (kind === 'forward') return { kind, address: '' };
  return { kind };
}

export function FilterForm({
  initial,
  onSave,
  onCancel,
}: {
  initial?: FilterRequest;
  onSave(f: FilterRequest): Promise<void>;
  onCancel(): void;
}) {
  const { mailboxes, labels } = useMail();
  const id = useId();
  const folders = (mailboxes ?? []).map((m) => m.name);
  const firstFolder = folders.find((f) => f !== 'INBOX') ?? 'INBOX';
  const firstLabel = labels?.[0]?.keyword ?? '';
  const [f, setF] = useState<FilterRequest>(
    initial ?? {
      name: '',
      enabled: true,
      match: 'all',
      conditions: [newCondition('from')],
      actions: [newAction('move', firstFolder, firstLabel)],
    },
  );
  const [isSaving, setIsSaving] = useState(false);
  // Stable React keys for the rows (removing one must not move another's input state).
  const next = useRef(0);
  const fresh = () => ++next.current;
  const [conditionKeys, setConditionKeys] = useState(() => f.conditions.map(fresh));
  const [actionKeys, setActionKeys] = useState(() => f.actions.map(fresh));
  const setCondition = (i: number, c: FilterCondition) => setF({ ...f, conditions: f.conditions.map((x, j) => (j === i ? c : x)) });
  const setAction = (i: number, a: FilterAction) => setF({ ...f, actions: f.actions.map((x, j) => (j === i ? a : x)) });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setIsSaving(true);
    try {
      await onSave(f);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <form
      className="settings-section rules-form"
      onSubmit={(e) => void submit(e)}
      aria-label={initial ? `Edit filter ${initial.name}` : 'New filter'}
    >
      <label className="settings-field">
        <span className="field-label">Filter name</span>
        <input type="text" required value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
      </label>
      <label className="settings-check">
        <input type="checkbox" checked={f.enabled} onChange={(e) => setF({ ...f, enabled: e.target.checked })} /> Filter is on
      </label>
      <fieldset className="settings-radios">
        <legend className="field-label">Matches when</legend>
        <label>
          <input type="radio" name={`${id}-match`} checked={f.match === 'all'} onChange={() => setF({ ...f, match: 'all' })} /> all
          conditions hold
        </label>
        <label>
          <input type="radio" name={`${id}-match`} checked={f.match === 'any'} onChange={() => setF({ ...f, match: 'any' })} /> any
          condition holds
        </label>
      </fieldset>
      <fieldset className="rules-group">
        <legend className="field-label">Conditions</legend>
        {f.conditions.map((c, i) => (
          <fieldset className="rules-row rules-plain" key={conditionKeys[i]} aria-label={`Condition ${i + 1}`}>
            <select
              aria-label={`Condition ${i + 1} field`}
              className="compose-select"
              value={c.field}
              onChange={(e) => setCondition(i, newCondition(e.target.value as FilterCondition['field'], c))}
            >
              {FIELDS.map((x) => (
                <option key={x.value} value={x.value}>
                  {x.label}
                </option>
              ))}
            </select>
            {c.field === 'header' && (
              <input
                aria-label={`Condition ${i + 1} header name`}
                type="text"
                value={c.name}
                onChange={(e) => setCondition(i, { ...c, name: e.target.value })}
              />
            )}
            {c.field === 'size' && (
              <>
                <select
                  aria-label={`Condition ${i + 1} comparison`}
                  className="compose-select"
                  value={c.op}
                  onChange={(e) => setCondition(i, { ...c, op: e.target.value as 'over' | 'under' })}
                >
                  <option value="over">larger than</option>
                  <option value="under">smaller than</option>
                </select>
                <input
                  aria-label={`Condition ${i + 1} size in KB`}
                  type="number"
                  min={0}
                  value={Math.round(c.value / 1024)}
                  onChange={(e) => setCondition(i, { ...c, value: Number(e.target.value) * 1024 })}
                />
                <span>KB</span>
              </>
            )}
            {c.field !== 'size' && c.field !== 'hasAttachment' && (
              <>
                <select
                  aria-label={`Condition ${i + 1} comparison`}
                  className="compose-select"
                  value={c.op}
                  onChange={(e) => setCondition(i, { ...c, op: e.target.value as 'contains' })}
                >
                  <option value="contains">contains</option>
                  <option value="is">is</option>
                  <option value="matches">matches (* and ?)</option>
                </select>
                <input
                  aria-label={`Condition ${i + 1} value`}
                  type="text"
                  value={c.value}
                  onChange={(e) => setCondition(i, { ...c, value: e.target.value })}
                />
              </>
            )}
            <button
              type="button"
              className="btn"
              aria-label={`Remove condition ${i + 1}`}
              onClick={() => {
                setF({ ...f, conditions: f.conditions.filter((_, j) => j !== i) });
                setConditionKeys(conditionKeys.filter((_, j) => j !== i));
              }}
            >
              Remove
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="btn"
          onClick={() => {
            setF({ ...f, conditions: [...f.conditions, newCondition('subject')] });
            setConditionKeys([...conditionKeys, fresh()]);
          }}
        >
          Add condition
        </button>
      </fieldset>
      <fieldset className="rules-group">
        <legend className="field-label">Actions</legend>
        {f.actions.map((a, i) => (
          <fieldset className="rules-row rules-plain" key={actionKeys[i]} aria-label={`Action ${i + 1}`}>
            <select
              aria-label={`Action ${i + 1} type`}
              className="compose-select"
              value={a.kind}
              onChange={(e) => setAction(i, newAction(e.target.value as FilterAction['kind'], firstFolder, firstLabel))}
            >
              {/* Apply the label: only when there is a label to apply. */}
              {ACTIONS.filter((x) => x.value !== 'label' || (labels?.length ?? 0) > 0 || a.kind === 'label').map((x) => (
                <option key={x.value} value={x.value}>
                  {x.label}
                </option>
              ))}
            </select>
            {a.kind === 'move' && (
              <select
                aria-label={`Action ${i + 1} folder`}
                className="compose-select"
                value={a.folder}
                onChange={(e) => setAction(i, { ...a, folder: e.target.value })}
              >
                {folders.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            )}
            {a.kind === 'label' && (
              <select
                aria-label={`Action ${i + 1} label`}
                className="compose-select"
                value={a.label}
                onChange={(e) => setAction(i, { ...a, label: e.target.value })}
              >
                {(labels ?? []).map((l) => (
                  <option key={l.id} value={l.keyword}>
                    {l.name}
                  </option>
                ))}
              </select>
            )}
            {a.kind === 'forward' && (
              <input
                aria-label={`Action ${i + 1} address`}
                type="email"
                required
                value={a.address}
                onChange={(e) => setAction(i, { ...a, address: e.target.value })}
              />
            )}
            <button
              type="button"
              className="btn"
              aria-label={`Remove action ${i + 1}`}
              onClick={() => {
                setF({ ...f, actions: f.actions.filter((_, j) => j !== i) });
                setActionKeys(actionKeys.filter((_, j) => j !== i));
              }}
            >
              Remove
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="btn"
          onClick={() => {
            setF({ ...f, actions: [...f.actions, newAction('markRead', firstFolder, firstLabel)] });
            setActionKeys([...actionKeys, fresh()]);
          }}
        >
          Add action
        </button>
      </fieldset>
      <div className="rules-row">
        <button type="submit" className="btn btn-primary" disabled={isSaving}>
          Save filter
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
