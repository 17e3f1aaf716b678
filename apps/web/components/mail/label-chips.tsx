'use client';

import { useMail } from './mail-store';
import { labelStyle } from './message-list';

/** The labels of a message or conversation, as coloured chips after its subject. */
export function LabelChips({ labelIds }: { labelIds: readonly string[] }) {
  const { labels } = useMail();
  if (!labels || labelIds.length === 0) return null;
  return (
    <span className="label-chips">
      {labelIds.map((id) => {
        const l = labels.find((x) => x.id === id);
        return l ? (
          <span key={id} className="row-label" style={labelStyle(l.colour)} data-testid="message-label">
            {l.name}
          </span>
        ) : null;
      })}
    </span>
  );
}
