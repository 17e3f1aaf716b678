'use client';

/** "Block <sender>" for the reading pane's toolbar: one click, their future mail goes to Junk. */
import { useState } from 'react';
import { useMail } from '../../mail/mail-store';
import { rulesApi } from './rules-api';

export function BlockSenderButton({ address }: { address: string | undefined }) {
  const { notify, reportError, session } = useMail();
  const [blockedId, setBlockedId] = useState<string | null>(null);
  if (!address || address.toLowerCase() === session.account.address.toLowerCase()) return null;
  const toggle = async () => {
    try {
      if (blockedId) {
        await rulesApi.deleteSender(blockedId);
        setBlockedId(null);
        notify(`Unblocked ${address}`);
      } else {
        const s = await rulesApi.putSender({ kind: 'block', pattern: address });
        setBlockedId(s.id);
        notify(`Blocked ${address}: new mail from them goes to Junk`);
      }
    } catch (err) {
      reportError(err);
    }
  };
  // The visible words start the accessible name (WCAG 2.5.3 label in name).
  const label = blockedId ? `Unblock sender ${address}` : `Block sender ${address}`;
  return (
    <button
      type="button"
      className="tool-btn"
      onClick={() => void toggle()}
      aria-pressed={blockedId !== null}
      title={label}
      aria-label={label}
      data-testid="action-block-sender"
    >
      <span>{blockedId ? 'Unblock sender' : 'Block sender'}</span>
    </button>
  );
}
